"""Test helper: a real image captcha (drawn by the API) whose answer the test knows."""

import uuid

from rest_framework.test import APIClient

from meiduo.core.securitycache import security_cache
from meiduo.verifications import services

ANSWER = "AB12"


def solved_captcha(api: APIClient) -> dict[str, str]:
    """Draw a captcha through the API, store a known answer through the service's own hashing, return the fields."""
    image_id = str(uuid.uuid4())
    assert api.get(f"/api/v1/image_codes/{image_id}/").status_code == 200
    security_cache.set(f"captcha:{image_id}", services._digest("captcha", image_id, ANSWER), 300)
    return {"image_code_id": image_id, "text": ANSWER.lower()}
