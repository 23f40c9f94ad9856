"""Account writes, one module per concern (HackSoft's services package).

- `registration`: a shopper registers with an SMS-proven mobile;
- `activation`: a shopper registers with an e-mail address, proven by the activation link;
- `login`: password login and its failure limits;
- `sms_login`: login by a code sent to the account's mobile;
- `sessions`: JWT session pairs (issue, rotate, end, end all);
- `email`: the e-mail address and its verification link;
- `passwords`: changing and resetting the password;
- `tokens`: reading back the signed tokens the flows hand out;
- `browsing`: browse history and favourites.

Callers import the function from its module (`from meiduo.users.services.login import user_login`).
"""
