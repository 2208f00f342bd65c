# mime/: pure MIME layer (doc/HACKING.md, Layers and folders); public
# contracts in mime/mime.h (reading) and mime/compose.h (writing).
noinst_LIBRARIES += libmime.a
libmime_a_SOURCES = \
	mime/mime.h mime/mime_int.h mime/compose.h \
	mime/addr.c mime/addrlist.c mime/charset.c mime/date.c \
	mime/decode.c mime/edit.c mime/flowed.c mime/header.c mime/html.c mime/mbox.c \
	mime/param.c mime/parts.c mime/render.c mime/reply.c mime/rfc2047.c mime/save.c \
	mime/summary.c mime/tree.c mime/width.c mime/write.c mime/write_hdr.c \
	mime/write_body.c \
	mime/submit.h mime/submit.c mime/submit7.c
