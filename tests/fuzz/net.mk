# fuzz targets of net/ (IMAP and POP3 parsers)
