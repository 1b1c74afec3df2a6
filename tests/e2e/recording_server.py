"""Runs inside the fresh venv: the generated server on uvicorn, recording what arrives.

Usage: python recording_server.py PORT. Answers the sample response; `EnrichId: "missing"`
answers 404 with SuperOffice's error body. GET /_test/requests lists what arrived.
"""

import sys

import uvicorn
from starlette.responses import JSONResponse
from superoffice_webapi.server import ApiProblem, create_app
from superoffice_webapi.server.samples import SampleImplementation

REQUESTS = []


class RecordingContactAgent:
    def __init__(self, samples):
        self._samples = samples

    async def enrich_contact_entity(self, ctx, *, body, select=None):
        REQUESTS.append(
            {
                "headers": dict(ctx.headers),
                "select": select,
                "body": body.model_dump(mode="json", by_alias=True, exclude_unset=True),
            }
        )
        if body.enrich_id == "missing":
            raise ApiProblem(404, "Contact 42 not found", "NotFound", "ContactAgent")
        return self._samples.contact_agent.enrich_contact_entity(ctx, body=body, select=select)


class Implementation:
    def __init__(self):
        self.contact_agent = RecordingContactAgent(SampleImplementation())


app = create_app(Implementation())


async def requests(request):
    return JSONResponse(REQUESTS)


app.add_route("/_test/requests", requests, methods=["GET"])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
