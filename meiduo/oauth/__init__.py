"""Third-party login (QQ, Weibo, WeChat) and binding of provider accounts to users."""
