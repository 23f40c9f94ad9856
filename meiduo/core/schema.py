"""OpenAPI extensions: how the shop's authentication classes appear in /api/schema/."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTScheme(OpenApiAuthenticationExtension):
    """`Authorization: JWT <access token>` (or `Bearer <access token>`) for every JWT-based authenticator."""

    target_class = "rest_framework_simplejwt.authentication.JWTAuthentication"
    match_subclasses = True
    priority = 1
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`JWT <token>` or `Bearer <token>`, where token is the access token from login.",
        }


class PublicEndpointScheme(OpenApiAuthenticationExtension):
    """Public endpoints need no credentials: no security requirement, no scheme."""

    target_class = "meiduo.core.auth.PublicEndpointAuthentication"
    name: list[str] = []

    def get_security_requirement(self, auto_schema: Any) -> None:  # type: ignore[override]  # None = no requirement
        return None

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, str]]:
        return []
