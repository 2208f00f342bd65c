# SMTP submission engine: session and its pure parsers.
libnet_a_SOURCES += net/smtp.c net/smtp_parse.c net/smtp.h
