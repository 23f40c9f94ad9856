"""Verification codes: image captcha, SMS codes and the SMS providers that deliver them."""
