"""The notes' front end (front_end_pc) against this shop: /api/compat/ and the static export of its pages."""
