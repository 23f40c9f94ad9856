"""Payment gateways (Alipay, demo) and verified return/notify handling."""
