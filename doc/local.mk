dist_man_MANS += doc/postie.conf.5
