# Sourced by tools/check and tools/demo: installs what postie needs to
# build and test, with apt-get, only when something is missing.
# Installing Debian's dovecot and postfix packages may start system-wide
# servers; policy-rc.d forbids that during the install, Postfix is told
# to write no configuration of its own, and any system Dovecot or Postfix
# that runs anyway is stopped: postie's tests start their own, on loopback.

POSTIE_DEB_PACKAGES="gcc make autoconf automake pkgconf libc6-dev \
libssl-dev openssl libncurses-dev libsqlite3-dev check \
dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix tmux python3 clang \
libclang-rt-14-dev ca-certificates man-db"

postie_missing_packages() {
	local p missing=
	for p in $POSTIE_DEB_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing="$missing $p"
	done
	echo $missing
}

postie_install_deps() {
	local missing policy_made=
	missing=$(postie_missing_packages)
	if [ -n "$missing" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "postie: missing packages:$missing" >&2
			echo "postie: run as root, or: sudo apt-get install$missing" >&2
			return 1
		fi
		echo "installing:$missing"
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
			chmod 755 /usr/sbin/policy-rc.d
			policy_made=1
		fi
		export DEBIAN_FRONTEND=noninteractive
		# No system mail server: the tests run a private Postfix.
		echo "postfix postfix/main_mailer_type select No configuration" |
		    debconf-set-selections 2>/dev/null || true
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
		[ -n "$policy_made" ] && rm -f /usr/sbin/policy-rc.d
	fi
	postie_stop_system_dovecot
	postie_stop_system_postfix
}

# A system Dovecot (from the package install, here or earlier) must not stay
# up: postie's demo and tests never want a mail server on public ports.
postie_stop_system_dovecot() {
	if [ "$(id -u)" = 0 ] && [ -f /run/dovecot/master.pid ] &&
	    kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
		echo "stopping the system-wide Dovecot that the package started"
		doveadm stop 2>/dev/null || kill "$(cat /run/dovecot/master.pid)"
	fi
	if [ "$(id -u)" = 0 ] && command -v systemctl >/dev/null 2>&1 &&
	    systemctl is-enabled dovecot >/dev/null 2>&1; then
		systemctl disable --now dovecot >/dev/null 2>&1 || true
	fi
	return 0
}

# The same for a system Postfix (the tests' own is started with -c DIR and
# is not this one).  Its pid file pads the number with blanks: unquoted.
postie_stop_system_postfix() {
	if [ "$(id -u)" = 0 ] && [ -f /var/spool/postfix/pid/master.pid ] &&
	    kill -0 $(cat /var/spool/postfix/pid/master.pid) 2>/dev/null; then
		echo "stopping the system-wide Postfix that the package started"
		postfix stop 2>/dev/null ||
		    kill $(cat /var/spool/postfix/pid/master.pid)
	fi
	if [ "$(id -u)" = 0 ] && command -v systemctl >/dev/null 2>&1 &&
	    systemctl is-enabled postfix >/dev/null 2>&1; then
		systemctl disable --now postfix >/dev/null 2>&1 || true
	fi
	return 0
}
