dist_man_MANS += doc/postie.conf.5
dist_man_MANS += doc/postie.1
EXTRA_DIST += doc/HACKING.md
