libnet_a_SOURCES += net/conn.c net/conn.h net/conn_priv.h net/conn_tls.c
