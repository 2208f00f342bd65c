# postie sync/folders/list (cache layer owner)
