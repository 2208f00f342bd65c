# POP3 engine: session and its pure parsers.
libnet_a_SOURCES += net/pop3.c net/pop3_parse.c net/pop3.h
