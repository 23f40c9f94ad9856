"""Third-party login (QQ, Weibo) and binding of provider accounts to users."""
