"""Customer messages (用户留言): a shopper writes to the shop, staff answer in the admin."""
