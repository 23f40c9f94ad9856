"""App configuration for compat: the design notes' front end (front_end_pc) against this shop."""

from django.apps import AppConfig


class CompatConfig(AppConfig):
    """/api/compat/ (the v1 API in the notes' shapes) and the static export of the home and detail pages."""

    name = "meiduo.compat"
    label = "compat"
