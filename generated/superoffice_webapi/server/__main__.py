"""`python -m superoffice_webapi.server [--host H] [--port P] [--strict-enums]`: the
sample server on uvicorn."""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--strict-enums",
        action="store_true",
        help="answer 400 to enum values the spec does not list",
    )
    args = parser.parse_args()

    import uvicorn

    from superoffice_webapi.server import create_app

    uvicorn.run(
        create_app(strict_enums=args.strict_enums),
        host=args.host,
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
