"""How much memory the client of the whole reference takes to move a file each way
(usage: stream_memory.py BASE_URL UPLOAD_FILE DOWNLOAD_FILE): an upload from a file
(`attachment.upload_attachment`) and a streamed download (`document.get_document_stream`
under `with_streaming_response`), then, for comparison, the same download read whole.
Prints one JSON object of resident sizes in MB (Linux): after warming up, and the peak
while streaming both ways and while reading whole, each measured from a peak reset
(`/proc/self/clear_refs`). Run by tests/test_sdk_program.py against its local server,
which scripts the answers."""

from __future__ import annotations

import gc
import io
import json
import sys
from pathlib import Path

from superoffice_webapi import BasicAuth, Client


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


def reset_peak() -> float:
    """The resident size now, the peak reset to it."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    return status_mb("VmRSS")


base, upload, download = sys.argv[1:4]
with Client(base, auth=BasicAuth("user", "password")) as client:
    # Warm up: the modules, the connection and the models both calls use.
    client.attachment.upload_attachment(5, content=io.BytesIO(b"warm"))
    with client.with_streaming_response.document.get_document_stream(1) as response:
        response.read()
    warm = reset_peak()
    with open(upload, "rb") as file:
        client.attachment.upload_attachment(5, content=file)
    with client.with_streaming_response.document.get_document_stream(1) as response:
        response.stream_to_file(download)
    streamed = status_mb("VmHWM")
    before_whole = reset_peak()
    whole = client.document.get_document_stream(1)
    figures = {
        "warm": warm,
        "streamed_peak": streamed,
        "before_whole": before_whole,
        "whole_peak": status_mb("VmHWM"),
        "whole_size": len(whole),
    }
    print(json.dumps(figures))
