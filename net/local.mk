noinst_LIBRARIES += libnet.a
libnet_a_SOURCES =
libnet_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
include net/conn.mk
libnet_a_SOURCES += net/sasl.c net/sasl.h net/http.c net/http.h
include net/imap.mk
include net/pop3.mk
include net/smtp.mk
