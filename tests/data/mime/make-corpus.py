#!/usr/bin/env python3
# Writes the .eml files of this folder (run from anywhere).  The .expected
# files come from the renderer: MIME_CORPUS_UPDATE=1 check_mime_corpus,
# then review the diff.
import os
import base64, os, quopri
D = os.path.dirname(os.path.abspath(__file__)) + '/'
def w(name, data):
    if isinstance(data, str): data = data.encode('utf-8')
    open(D + name + '.eml', 'wb').write(data)
H = b"Date: Thu, 26 Nov 2026 10:00:00 +0100\nFrom: Alice Example <alice@example.org>\nTo: Bob <bob@example.net>\nMessage-ID: <m1@example.org>\n"
def msg(name, subject, ctype, body, cte=None, extra=b""):
    h = H + b"Subject: " + subject.encode() + b"\nMIME-Version: 1.0\n"
    if ctype: h += b"Content-Type: " + ctype.encode() + b"\n"
    if cte: h += b"Content-Transfer-Encoding: " + cte.encode() + b"\n"
    w(name, h + extra + b"\n" + body)

msg('plain-utf8', 'Plain UTF-8', 'text/plain; charset=utf-8',
    "Hello Bob,\n\nCaf\u00e9 \u2014 na\u00efve \u65e5\u672c\u8a9e \U0001F600.\n\tTabbed\tline.\n"
    "This is a long line that must be wrapped at eighty columns because it goes on and on and on without stopping.\n\n"
    "> quoted once\n>> quoted twice\n> > quoted twice, spaced\n>>> three levels with a long quoted line that needs wrapping too since it is longer than eighty\n\n-- \nAlice\n".encode())
msg('latin1-label', 'iso-8859-1 label', 'text/plain; charset="ISO-8859-1"',
    b"Price: 5 \x80, caf\xe9, \x93quoted\x94, na\xefve.\n", cte='8bit')
msg('usascii-8bit', 'us-ascii label, 8-bit text', 'text/plain; charset=us-ascii',
    b"It\x92s mislabelled \x96 but readable.\n", cte='8bit')
msg('unlabelled-8bit', 'no charset', 'text/plain',
    b"Gr\xfc\xdfe aus K\xf6ln.\n", cte='8bit')
msg('no-content-type', 'no Content-Type at all', None,
    "UTF-8 without a label: \u00e4\u00f6\u00fc.\n".encode())
msg('gb2312', 'GB2312 label, GBK text', 'text/plain; charset=gb2312',
    "\u4f60\u597d\uff0c\u6731\u9555\u57fa\u3002\n".encode('gbk'), cte='8bit')
msg('gbk-base64', 'GBK base64', 'text/plain; charset=GBK',
    base64.encodebytes("\u4e2d\u6587\u90ae\u4ef6\u6d4b\u8bd5\n".encode('gbk')), cte='base64')
msg('ks_c_5601', 'Korean', 'text/plain; charset=ks_c_5601-1987',
    "\uc548\ub155\ud558\uc138\uc694 \ub620\n".encode('cp949'), cte='8bit')
msg('euc-kr', 'euc-kr label', 'text/plain; charset=euc-kr',
    "\ud55c\uad6d\uc5b4 \ub620\n".encode('cp949'), cte='8bit')
msg('shift_jis', 'Shift_JIS', 'text/plain; charset=Shift_JIS',
    "\u3053\u3093\u306b\u3061\u306f \u2460 \uff5e\n".encode('cp932'), cte='8bit')
msg('iso-2022-jp', 'ISO-2022-JP', 'text/plain; charset=iso-2022-jp',
    "\u65e5\u672c\u8a9e\u306e\u30e1\u30fc\u30eb\n".encode('iso2022_jp'), cte='7bit')
msg('big5', 'Big5', 'text/plain; charset=big5', "\u7e41\u9ad4\u4e2d\u6587\n".encode('big5'), cte='8bit')
msg('koi8-r', 'KOI8-R', 'text/plain; charset=koi8-r', "\u041f\u0440\u0438\u0432\u0435\u0442\n".encode('koi8_r'), cte='8bit')
msg('windows-1251-qp', 'windows-1251 QP', 'text/plain; charset=windows-1251',
    quopri.encodestring("\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439\u0442\u0435, \u043c\u0438\u0440!\n".encode('cp1251')), cte='quoted-printable')
msg('utf8-invalid', 'invalid UTF-8', 'text/plain; charset=utf-8',
    b"ok \xff\xfe bad \xc3 cut \xe2\x82 end\n", cte='8bit')
msg('unknown-charset', 'unknown charset', 'text/plain; charset=x-no-such-charset',
    b"caf\xe9\n", cte='8bit')
msg('utf-16', 'UTF-16 base64', 'text/plain; charset=utf-16',
    base64.encodebytes("UTF-16 text: \u00e9\u20ac\n".encode('utf-16')), cte='base64')
msg('base64-garbage', 'base64 with garbage', 'text/plain; charset=utf-8',
    b"SGVsbG8s!!IHdv\ncmxk*IQo=\n\n  garbage after = \nQmFk\n", cte='base64')
msg('qp-soft', 'quoted-printable soft breaks', 'text/plain; charset=utf-8',
    b"This line is long and is soft=\nbroken across lines.   \nCaf=C3=A9 and =E2=82=AC sign, =3D equals, bad =ZZ escape, lower =c3=a9.=\n\nEnd =   \nline.\n", cte='quoted-printable')
msg('flowed', 'format=flowed', 'text/plain; charset=utf-8; format=flowed',
    b"This paragraph is flowed \nacross three lines \nand joins.\n\n> Quoted flowed \n> paragraph joins.\n>> Deeper fixed line.\n From space-stuffed.\n-- \nsig\n")
msg('flowed-delsp', 'format=flowed delsp=yes', 'text/plain; charset=utf-8; format=flowed; delsp=yes',
    "\u65e5\u672c\u8a9e\u306e \n\u6587\u7ae0\u3067\u3059\u3002\nword \nbreak\n".encode())
html = b"""<!DOCTYPE html><html><head><title>Newsletter</title>
<style>p { color: red }</style><script>alert("x")</script></head>
<body><h1>Big &amp; Bold</h1><p>First paragraph with a <a href="https://example.org/a">link</a>
and another <a href="https://example.org/b?x=1&amp;y=2">one</a>, plus <a href="https://example.org/same">https://example.org/same</a>.</p>
<p>Line one<br>Line two<br/>Line &lt;three&gt; &euro;5 &#8364; &#x1F600; &#150; &nbsp;end</p>
<ul><li>apple</li><li>banana<ol><li>one</li><li>two</li></ol></li></ul>
<table><tr><th>Name</th><th>Qty</th></tr><tr><td>Tea</td><td>2</td></tr></table>
<blockquote>Someone said this.</blockquote>
<!-- a comment --><pre>  pre   formatted
    text</pre><img src="x.png" alt="logo"><p>Bye &unknown; &amp</p></body></html>
"""
msg('html-only', 'HTML only', 'text/html; charset=utf-8', html)
msg('html-meta-charset', 'HTML with meta charset', 'text/html',
    b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>Caf\xe9 \x80</p></body></html>\n')
alt = (b'Content-Type: multipart/alternative; boundary="alt1"\n\nPreamble.\n--alt1\nContent-Type: text/plain; charset=utf-8\n\nPlain version.\n--alt1\n'
       b'Content-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b>.</p>\n--alt1--\nEpilogue.\n')
w('alternative', H + b"Subject: alternative\nMIME-Version: 1.0\n" + alt)
png = base64.encodebytes(b'\x89PNG\r\n\x1a\n' + bytes(range(200)))
pdf = base64.encodebytes(b'%PDF-1.4\n' + b'x' * 3000)
nested = (b'Content-Type: multipart/mixed; boundary="outer"\n\n--outer\nContent-Type: multipart/alternative; boundary="inner"\n\n'
    b'--inner\nContent-Type: text/plain; charset=utf-8\n\nNested plain body.\n'
    b'--inner\nContent-Type: multipart/related; boundary="rel"\n\n--rel\nContent-Type: text/html; charset=utf-8\n\n<p>Nested <img src="cid:i1" alt="pic"> html</p>\n'
    b'--rel\nContent-Type: image/png\nContent-ID: <i1>\nContent-Transfer-Encoding: base64\n\n' + png + b'--rel--\n--inner--\n'
    b'--outer\nContent-Type: application/pdf; name="report.pdf"\nContent-Disposition: attachment; filename="report.pdf"\nContent-Transfer-Encoding: base64\n\n' + pdf +
    b'--outer\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: inline\n\nA second inline text part.\n--outer--\n')
w('nested', H + b"Subject: nested multiparts\nMIME-Version: 1.0\n" + nested)
w('nested-html-pref', H + b"Subject: nested multiparts\nMIME-Version: 1.0\n" + nested)
w('missing-close', H + b"Subject: missing closing boundary\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nFirst part.\n--b1\nContent-Type: text/plain\n\nSecond part runs to the end\nwithout a closing boundary.\n")
w('boundary-in-body', H + b"Subject: boundary inside a body\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"xyz\"\n\n--xyz\nContent-Type: text/plain\n\nThis line mentions --xyz in the middle.\n--xyzzy is not a delimiter\n--xyz-- trailing text is not a close either\nStill first part.\n--xyz  \nContent-Type: text/plain\n\nSecond part (delimiter had trailing blanks).\n--xyz--\n")
w('no-boundary', H + b"Subject: multipart without boundary\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\nBody of a multipart with no boundary parameter.\n")
names = (b'Content-Type: multipart/mixed; boundary="n"\n\n--n\nContent-Type: text/plain\n\nSee attachments.\n'
    b"--n\nContent-Type: application/octet-stream\nContent-Disposition: attachment;\n filename*=UTF-8''%E2%82%AC%20rates%20%C3%A9t%C3%A9.txt\nContent-Transfer-Encoding: base64\n\nYWJj\n"
    b"--n\nContent-Type: application/octet-stream\nContent-Disposition: attachment;\n filename*0*=iso-8859-1'fr'R%E9sum%E9;\n filename*1=\" part two\";\n filename*2*=%2Edoc\n\ndata\n"
    b'--n\nContent-Type: image/jpeg; name="=?UTF-8?B?5pel5pys6Kqe?=.jpg"\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n/9j/4AAQ\n'
    b'--n\nContent-Type: application/x-sh; name="../../etc/passwd\x1b[31m"\nContent-Disposition: attachment; filename="..\\\\evil\\\\.bashrc"\n\necho hi\n'
    b'--n\nContent-Type: text/plain; name="=?iso-8859-1?Q?caf=E9?= notes.txt"\nContent-Disposition: attachment\n\ntext attachment, not shown inline\n--n--\n')
w('attachment-names', H + b"Subject: encoded attachment names\nMIME-Version: 1.0\n" + names)
w('escape-header', b"Date: Thu, 26 Nov 2026 10:00:00 +0000\nFrom: \"Evil\x1b[2J\x1b]0;pwned\x07 Person\" <evil@example.org>\nTo: you@example.org\nSubject: Hello \x1b[31mred\x1b[0m =?utf-8?q?and_=1B[1mbold=1B[0m_encoded?= \xe2\x80\xae reversed \x07bell\nContent-Type: text/plain; charset=utf-8\n\nBody with \x1b[41mescape\x1b[0m, \x1b]8;;http://evil\x07hyperlink\x1b]8;;\x07, C1 \xc2\x9b31m, bidi \xe2\x80\xaeevil\xe2\x80\xac and a \x08backspace.\n")
w('8bit-headers', b"Date: 26 Nov 2026 10:00 GMT\nFrom: J\xc3\xbcrgen M\xc3\xbcller <juergen@example.de>\nTo: Fran\xe7ois <francois@example.fr>\nCc: =?utf-8?q?Ren=C3=A9e?= <renee@example.fr>, Gr\xfcppe: a@example.org, b@example.org;\nSubject: Gr\xc3\xbc\xc3\x9fe und Gr\xfc\xdfe\n\nBody.\n")
w('empty-body', H + b"Subject: empty body\nContent-Type: text/plain\n\n")
w('headers-only', H + b"Subject: no blank line and no body\n")
w('no-headers', b"This file has no header at all.\nJust text: caf\xc3\xa9.\n\nSecond paragraph.\n")
w('empty-file', b"")
inner = H.replace(b'alice', b'carol') + b"Subject: =?utf-8?q?Inner_message_=E2=9C=89?=\nContent-Type: text/plain; charset=utf-8\n\nThe forwarded text.\n> with a quote\n"
w('rfc822-attached', H + b"Subject: Fwd: inner\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"f\"\n\n--f\nContent-Type: text/plain\n\nHere is the message.\n--f\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n" + inner + b"--f--\n")
w('rfc822-base64', H + b"Subject: rfc822 encoded\nMIME-Version: 1.0\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(inner))
w('duplicate-content-type', H + b"Subject: duplicate Content-Type\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Type: text/html; charset=utf-8\n\n<p>caf\xe9</p>\n")
w('bad-content-type', H + b"Subject: broken Content-Type\nContent-Type: garbage\nContent-Type: text/plain; charset=utf-8\n\nShown as plain text.\n")
w('rfc2047-subjects', b"From: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\nTo: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>, =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\nCc: \"=?utf-8?b?w6lsw6hu?=\" <e@example.org>, (comment only) c@example.org, undisclosed-recipients:;\nSubject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?= | =?utf-8?B?5pel5pys?= =?utf-8?B?6Kqe?= | =?utf-8?Q?split_=E2=82?= =?utf-8?Q?=AC?= | =?bogus | =?utf-8?x?bad?= | a=?utf-8?q?b?=c\nDate: Fri, 21 Nov 97 09:55:06 -0600\n\nBody.\n")
big = b"Subject: long\nContent-Type: text/plain; charset=utf-8\n\n" + b"word " * 40 + b"\n" + b"x" * 200 + b"\n"
w('wrap', H + big)
# more charsets and encodings
msg('windows-1252', 'windows-1252 label', 'text/plain; charset=windows-1252', b"\x80 \x85 \x99 \xe9\n", cte='8bit')
msg('iso-8859-2', 'iso-8859-2', 'text/plain; charset=iso-8859-2', "\u0141\u00f3d\u017a, \u017b\u00f3\u0142w\n".encode('iso8859_2'), cte='8bit')
msg('iso-8859-9', 'iso-8859-9 label, windows-1254 text', 'text/plain; charset=iso-8859-9', "\u0130stanbul \u015f\u011f \u20ac\n".encode('cp1254'), cte='8bit')
msg('tis-620', 'Thai', 'text/plain; charset=tis-620', "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\n".encode('cp874'), cte='8bit')
msg('gb18030', 'GB18030 four-byte', 'text/plain; charset=gb18030', "\u4e2d\u6587 \U0001F600 \u20ac\n".encode('gb18030'), cte='8bit')
msg('euc-jp', 'EUC-JP', 'text/plain; charset=euc-jp', "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8\n".encode('euc_jp'), cte='8bit')
msg('utf-7', 'UTF-7', 'text/plain; charset=utf-7', "Hi \u00e9\u20ac!\n".encode('utf-7'), cte='7bit')
msg('binary-cte', 'binary transfer encoding', 'text/plain; charset=utf-8', "binary \u00e9 body\r\nwith CRLF\r\n".encode(), cte='binary')
msg('html-qp-1252', 'HTML quoted-printable windows-1252', 'text/html; charset=windows-1252',
    quopri.encodestring(b"<html><body><p>Caf\xe9 &ndash; \x93smart\x94 quotes</p><p>Second <i>para</i>graph with a very long line of text that will certainly need wrapping at eighty columns.</p></body></html>\n"), cte='quoted-printable')
crlf = (b'Content-Type: multipart/mixed; boundary="c"\r\n\r\n--c\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCRLF body caf=C3=A9 soft=\r\nbreak.\r\n> quoted\r\n\r\n'
    b'--c\r\nContent-Type: application/zip; name="a.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAAA==\r\n--c--\r\n')
w('crlf-multipart', H.replace(b'\n', b'\r\n') + b"Subject: CRLF line ends\r\nMIME-Version: 1.0\r\n" + crlf)
w('mbox-from-line', b"From alice@example.org Thu Nov 26 10:00:00 2026\n" + H + b"Subject: starts with an mbox From line\n\nBody.\n>From escaped.\n")
w('folded-subject', H + b"Subject: =?utf-8?q?A_long_subject_that_is?=\n =?utf-8?q?_folded_over_=E2=9C=93?=\n\tthree lines and plain text\nContent-Type: text/plain\n\nBody.\n")
digest = (b'Content-Type: multipart/digest; boundary="d"\n\n--d\n\nFrom: one@example.org\nSubject: first digest entry\n\nEntry one.\n--d\n\nFrom: two@example.org\nSubject: second digest entry\n\nEntry two.\n--d--\n')
w('digest', H + b"Subject: a digest\nMIME-Version: 1.0\n" + digest)
deep = b""
for i in range(40):
    deep += b'Content-Type: multipart/mixed; boundary="L%d"\n\n--L%d\n' % (i, i)
deep += b"Content-Type: text/plain\n\ndeepest text\n"
w('too-deep', H + b"Subject: 40 levels of nesting\nMIME-Version: 1.0\n" + deep)
w('attachment-only', H + b"Subject: only an attachment\nMIME-Version: 1.0\nContent-Type: application/pdf; name=\"only.pdf\"\nContent-Transfer-Encoding: base64\n\n" + pdf)
w('inline-patch', H + b"Subject: [PATCH] fix\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=p\n\n--p\nContent-Type: text/plain\n\nPatch below.\n--p\nContent-Type: text/x-diff; name=fix.patch\nContent-Disposition: inline; filename=fix.patch\n\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-\told\n+\tnew\n--p--\n")
