# postie view (mime layer owner)
