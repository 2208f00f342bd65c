libnet_a_SOURCES += net/conn.c net/conn.h
