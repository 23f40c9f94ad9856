"""Test helper: a local fake of Aliyun's SendSms API that checks the real signature and keeps what it received.

Used in-process by the provider's tests and over loopback by the two-host test (tests/scaleout), whose Celery
worker sends the codes to it.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from meiduo.verifications.sms import aliyun_signature

KEY_ID = "test-key-id"
SECRET = "test-secret-not-real"
received: list[dict[str, str]] = []
_lock = threading.Lock()


class FakeAliyun(BaseHTTPRequestHandler):
    """Answers like dysmsapi: recomputes the signature with the account's secret and checks the call."""

    def do_GET(self) -> None:
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != KEY_ID:
            answer, status = {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified key is not found."}, 404
        elif signature != aliyun_signature(params, SECRET):
            answer, status = {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}, 400
        elif params.get("Action") != "SendSms" or not params.get("PhoneNumbers"):
            answer, status = {"Code": "isv.INVALID_PARAMETERS", "Message": "bad parameters"}, 200
        else:
            with _lock:
                received.append(params)
            answer, status = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "R1"}, 200
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


def codes_sent(mobile: str) -> list[str]:
    """The codes the fake received for that mobile, oldest first."""
    with _lock:
        calls = list(received)
    return [json.loads(call["TemplateParam"])["code"] for call in calls if call["PhoneNumbers"] == mobile]
