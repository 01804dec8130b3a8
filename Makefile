# arasd - ARAS (Automatic Resource Allocation Scheme) as a net-snmp AgentX
# subagent over libvirt.  One Makefile; flags from pkg-config.

CC      ?= cc
PKGS     = netsnmp-agent libvirt libcurl libmicrohttpd libcrypt libxml-2.0
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) $(if $(CI),-Werror) -Isrc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CORE_SRC  = $(wildcard src/core/*.c)
CORE_OBJ  = $(CORE_SRC:.c=.o)
# src/util: what adapters share that is not pure (the log sink: clock, syslog)
UTIL_SRC  = $(wildcard src/util/*.c)
UTIL_OBJ  = $(UTIL_SRC:.c=.o)
ADAPT_SRC = $(UTIL_SRC) $(wildcard src/snmp/*.c) $(wildcard src/virt/*.c) $(wildcard src/notify/*.c) $(wildcard src/daemon/*.c)
ADAPT_OBJ = $(ADAPT_SRC:.c=.o)
REPLAY_SRC = $(wildcard src/replay/*.c)
REPLAY_OBJ = $(REPLAY_SRC:.c=.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:.c=)

all: arasd arasd-replay

arasd: $(CORE_OBJ) $(ADAPT_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

# What-if replay (src/replay/README.md): the core objects and a simulated
# cluster, libc and libm only, no net-snmp or libvirt.
arasd-replay: $(REPLAY_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

src/replay/%.o: src/replay/%.c src/replay/*.h src/core/*.h
	$(CC) $(CFLAGS) -c -o $@ $<

# src/snmp/prom.c's table of series, generated from snmp.yml (make prometheus)
src/snmp/prom.o: src/snmp/prom_table.h

# Core objects: libc only, no library flags (the boundary holds by construction).
src/core/%.o: src/core/%.c src/core/*.h
	$(CC) $(CFLAGS) -c -o $@ $<

src/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# Unit tests link only core and util objects and cmocka (and libm, for the replay's).
tests/unit/test_%: tests/unit/test_%.c $(CORE_OBJ) $(UTIL_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(CMOCKA_LIBS) -lm

# The domain XML parsers (src/virt/domxml.c, clonexml.c, xmlnode.c) are tested alone with libxml2.
XML_SRC    = src/virt/domxml.c src/virt/clonexml.c src/virt/xmlnode.c
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
tests/unit/test_domxml: tests/unit/test_domxml.c $(XML_SRC) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(XML_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(XML_LIBS) -lm

unit: $(UNIT_BIN)

# Drives the real notify adapters for tests/integration/t_notify.sh, which
# builds it itself (make tests/notify_drive); not part of all or unit.
NOTIFY_OBJ = $(patsubst %.c,%.o,$(wildcard src/notify/*.c))
tests/notify_drive: tests/notify_drive.c $(NOTIFY_OBJ) src/daemon/loop.o $(CORE_OBJ) $(UTIL_OBJ)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

bench-bin: bench/floor

bench/floor: bench/floor.c
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

# make check: install what is missing, build, run unit + integration tests.
demo:
	sh tests/deps.sh
	$(MAKE) -s all
	bash tests/demo.sh

check:
	sh tests/check.sh

# Only the tests, for when the packages are known to be there.
test: all unit
	sh tests/run.sh

lint:
	sh mib/lint.sh
	sh tools/includes.sh
	sh tools/core-closed.sh
	sh tools/format.sh
	sh tools/enums.sh
	python3 tools/prom-table.py check conf/prometheus/snmp.yml src/snmp/prom_table.h

# The MIB's enumerations rewritten from the core's tables (tools/enums.sh).
enums:
	sh tools/enums.sh fix

# What ships for an NMS, proven against the real software (tests/nms/):
# stock Debian snmpd, Zabbix, Icinga, Nagios, Prometheus snmp_exporter, snmptrapd.
nms-check: all
	sh tests/deps.sh
	TESTS="$(wildcard tests/nms/t_*.sh)" bash tests/run.sh

# conf/prometheus/snmp.yml (snmp_exporter module `arasd`) from generator.yml
# and mib/ARAS-MIB.txt; the IETF base MIBs from erlang-snmp.
# tests/nms/t_prometheus.sh fails when the committed file is not current.
prometheus:
	cd conf/prometheus && MIBDIRS=$(CURDIR)/mib:$(lastword $(wildcard /usr/lib/erlang/lib/snmp-*/mibs)) \
		prometheus-snmp-generator --fail-on-parse-errors generate -o snmp.yml
	python3 tools/prom-table.py conf/prometheus/snmp.yml src/snmp/prom_table.h

# arasd failed over by a real three-node corosync + Pacemaker cluster in
# network namespaces (tests/ha/check.sh, docs/ha.md): root.  Then H3 on the
# lab's libvirtd + QEMU hosts (tests/ha/lab.sh, TCG; it brings the lab up
# and down unless it is up already; about 8 min).
ha-check: all
	sh tests/deps.sh
	rc=0; bash tests/ha/check.sh || rc=1; bash tests/ha/lab.sh || rc=1; exit $$rc

# arasd on the real two-host libvirt + QEMU lab (tests/lab/README.md): root, TCG.
lab-check: all
	bash tests/lab/check.sh

# make install / uninstall (what debian/rules runs too).  PREFIX for programs
# and data, sysconfdir for configuration, DESTDIR for a staging root;
# INSTALL_STRIP= (empty) leaves stripping to the packager (dh_strip).  An
# existing configuration is never overwritten; uninstall removes what install
# put, and a configuration only while it is still the shipped one.
PREFIX ?= /usr
sysconfdir ?= /etc
UNITDIR ?= /lib/systemd/system
INSTALL_STRIP ?= -s
I_BIN   = $(DESTDIR)$(PREFIX)/sbin/arasd $(DESTDIR)$(PREFIX)/bin/arasd-replay
I_DATA  = $(DESTDIR)$(PREFIX)/share/man/man8/arasd.8 \
	  $(DESTDIR)$(PREFIX)/share/man/man5/arasd.conf.5 \
	  $(DESTDIR)$(PREFIX)/share/man/man1/arasd-replay.1 \
	  $(DESTDIR)$(PREFIX)/share/snmp/mibs/ARAS-MIB.txt \
	  $(DESTDIR)$(PREFIX)/share/doc/arasd/README.md \
	  $(DOCS:%=$(DESTDIR)$(PREFIX)/share/doc/arasd/%) \
	  $(DESTDIR)$(UNITDIR)/arasd.service \
	  $(DESTDIR)$(sysconfdir)/logrotate.d/arasd
# docs/*.md next to the README, so its relative links hold once installed
DOCS    = $(wildcard docs/*.md)
I_CONF  = $(DESTDIR)$(sysconfdir)/arasd/arasd.conf
I_SNMPD = $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d/arasd.conf

install: arasd arasd-replay
	install -D -m 755 $(INSTALL_STRIP) arasd $(DESTDIR)$(PREFIX)/sbin/arasd
	install -D -m 755 $(INSTALL_STRIP) arasd-replay $(DESTDIR)$(PREFIX)/bin/arasd-replay
	install -D -m 644 man/arasd.8 $(DESTDIR)$(PREFIX)/share/man/man8/arasd.8
	install -D -m 644 man/arasd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/arasd.conf.5
	install -D -m 644 man/arasd-replay.1 $(DESTDIR)$(PREFIX)/share/man/man1/arasd-replay.1
	install -D -m 644 mib/ARAS-MIB.txt $(DESTDIR)$(PREFIX)/share/snmp/mibs/ARAS-MIB.txt
	# The IETF base modules ARAS-MIB imports (SNMPv2-SMI, -TC, -CONF) are in no
	# Debian main net-snmp package; erlang-snmp ships them.  Link them where
	# net-snmp looks by default (unless snmp-mibs-downloader's real dir is there).
	ietf=$$(ls -d /usr/lib/erlang/lib/snmp-*/mibs 2>/dev/null | tail -1); d=$(DESTDIR)$(PREFIX)/share/snmp/mibs/ietf; \
		if [ -n "$$ietf" ] && { [ -L $$d ] || [ ! -e $$d ]; }; then ln -sfn $$ietf $$d; fi
	install -D -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/arasd/README.md
	for f in $(DOCS); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/doc/arasd/$$f; done
	install -D -m 644 conf/arasd.service $(DESTDIR)$(UNITDIR)/arasd.service
	install -D -m 644 conf/arasd.logrotate $(DESTDIR)$(sysconfdir)/logrotate.d/arasd
	@# the OCF resource agent where Pacemaker looks (OCF_ROOT is /usr/lib/ocf whatever the prefix)
	install -D -m 755 conf/ocf/arasd $(DESTDIR)/usr/lib/ocf/resource.d/arasd/arasd
	@# 640: it may hold mailPassword; group arasd (the service's user) reads it
	test -e $(I_CONF) || install -D -m 640 conf/arasd.conf $(I_CONF)
	-@if getent group arasd >/dev/null && [ "$$(id -u)" = 0 ]; then chgrp arasd $(I_CONF); fi
	@# snmpd re-reads its drop-ins as Debian-snmp on SIGHUP: 640 root:Debian-snmp
	test -e $(I_SNMPD) || install -D -m 640 conf/snmpd-arasd.conf $(I_SNMPD)
	-@if getent group Debian-snmp >/dev/null && [ "$$(id -u)" = 0 ]; then chgrp Debian-snmp $(I_SNMPD); fi
	@# the NMS plugin's man page (install-nms below installs the plugin)
	if [ -e plugins/check_arasd ]; then \
		install -D -m 644 man/check_arasd.1 $(DESTDIR)$(PREFIX)/share/man/man1/check_arasd.1; fi

uninstall:
	rm -f $(I_BIN) $(I_DATA) $(DESTDIR)/usr/lib/nagios/plugins/check_arasd $(DESTDIR)/usr/lib/ocf/resource.d/arasd/arasd \
		$(DESTDIR)$(PREFIX)/share/man/man1/check_arasd.1
	rm -rf $(DESTDIR)$(PREFIX)/share/arasd
	if [ -L $(DESTDIR)$(PREFIX)/share/snmp/mibs/ietf ]; then rm -f $(DESTDIR)$(PREFIX)/share/snmp/mibs/ietf; fi
	@for f in $(I_CONF):conf/arasd.conf $(I_SNMPD):conf/snmpd-arasd.conf; do \
		if cmp -s "$${f%%:*}" "$${f##*:}"; then rm -f "$${f%%:*}"; \
		elif [ -e "$${f%%:*}" ]; then echo "kept $${f%%:*} (changed since install)"; fi; \
	done
	-rmdir $(DESTDIR)$(PREFIX)/share/doc/arasd/docs $(DESTDIR)$(PREFIX)/share/doc/arasd $(DESTDIR)$(sysconfdir)/arasd 2>/dev/null

# --- NMS integration files (Zabbix template, Nagios/Icinga plugin and
# definitions): a block of its own, `install` depends on it.
install: install-nms
install-nms:
	install -D -m 755 plugins/check_arasd $(DESTDIR)/usr/lib/nagios/plugins/check_arasd
	install -D -m 644 conf/zabbix/arasd_template.yaml $(DESTDIR)$(PREFIX)/share/arasd/zabbix/arasd_template.yaml
	install -D -m 755 conf/zabbix/aras-zabbix-trap $(DESTDIR)$(PREFIX)/share/arasd/zabbix/aras-zabbix-trap
	install -D -m 644 conf/zabbix/snmptrapd-zabbix.conf $(DESTDIR)$(PREFIX)/share/arasd/zabbix/snmptrapd-zabbix.conf
	install -D -m 644 conf/icinga/arasd.conf $(DESTDIR)$(PREFIX)/share/arasd/icinga/arasd.conf
	install -D -m 644 conf/nagios/arasd.cfg $(DESTDIR)$(PREFIX)/share/arasd/nagios/arasd.cfg
	@# what the README and docs/ tell the owner to copy from the installed tree:
	@# snmp_exporter module and alert rules, the trap receiver's handler and
	@# snippet, and the demo's configuration with its test-driver hosts
	for f in generator.yml snmp.yml arasd-rules.yml arasd-rules.test.yml prometheus.yml; do \
		install -D -m 644 conf/prometheus/$$f $(DESTDIR)$(PREFIX)/share/arasd/prometheus/$$f; done
	install -D -m 755 conf/snmptrapd/aras-trap-log $(DESTDIR)$(PREFIX)/share/arasd/snmptrapd/aras-trap-log
	install -D -m 644 conf/snmptrapd/snmptrapd.conf $(DESTDIR)$(PREFIX)/share/arasd/snmptrapd/snmptrapd.conf
	install -D -m 644 conf/demo.conf $(DESTDIR)$(PREFIX)/share/arasd/demo.conf
	install -D -m 644 conf/agent.conf $(DESTDIR)$(PREFIX)/share/arasd/agent.conf
	install -D -m 644 conf/fixture/hostA.xml $(DESTDIR)$(PREFIX)/share/arasd/fixture/hostA.xml
	install -D -m 644 conf/fixture/hostB.xml $(DESTDIR)$(PREFIX)/share/arasd/fixture/hostB.xml
.PHONY: install-nms
# --- end of the NMS integration block

# ---- Reliability (issue #11): sanitizer build, fuzzing, build matrix ----
# make san: arasd, arasd-replay and the unit tests built with ASan+UBSan in
# build/san (the normal objects are not touched); make san-check runs the
# unit and integration tests with them (leak check on, suppressions only
# for named net-snmp/libvirt allocations: tests/lsan.supp).
SAN_DIR   = build/san
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CORE  = $(CORE_SRC:%.c=$(SAN_DIR)/%.o)
SAN_ADAPT = $(ADAPT_SRC:%.c=$(SAN_DIR)/%.o)
SAN_REPLAY = $(REPLAY_SRC:%.c=$(SAN_DIR)/%.o)
SAN_UNIT  = $(UNIT_SRC:%.c=$(SAN_DIR)/%)

$(SAN_DIR)/src/core/%.o: src/core/%.c src/core/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<
$(SAN_DIR)/src/replay/%.o: src/replay/%.c src/replay/*.h src/core/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<
$(SAN_DIR)/src/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) -c -o $@ $<
$(SAN_DIR)/arasd: $(SAN_CORE) $(SAN_ADAPT)
	$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread
$(SAN_DIR)/arasd-replay: $(SAN_REPLAY) $(SAN_CORE)
	$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ -lm
$(SAN_DIR)/tests/unit/test_%: tests/unit/test_%.c $(SAN_CORE) $(UTIL_SRC:%.c=$(SAN_DIR)/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS) -lm
$(SAN_DIR)/tests/unit/test_domxml: tests/unit/test_domxml.c $(XML_SRC) $(SAN_CORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(XML_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(XML_LIBS) -lm

san: $(SAN_DIR)/arasd $(SAN_DIR)/arasd-replay $(SAN_UNIT)

san-check: san
	SAN_TESTS="$(SAN_TESTS)" bash tests/san-check.sh

# make tsan: arasd and the unit tests built with ThreadSanitizer in
# build/tsan; make tsan-check runs the unit tests and the integration tests
# that drive the worker threads (TSAN_TESTS, tests/run.sh) with them: every
# report is a failure (tests/tsan-check.sh).  arasd-replay has no threads.
TSAN_DIR   = build/tsan
TSAN_FLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
TSAN_CORE  = $(CORE_SRC:%.c=$(TSAN_DIR)/%.o)
TSAN_ADAPT = $(ADAPT_SRC:%.c=$(TSAN_DIR)/%.o)
TSAN_UNIT  = $(UNIT_SRC:%.c=$(TSAN_DIR)/%)

$(TSAN_DIR)/src/core/%.o: src/core/%.c src/core/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN_FLAGS) -c -o $@ $<
$(TSAN_DIR)/src/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN_FLAGS) $(PKG_CFLAGS) -c -o $@ $<
$(TSAN_DIR)/arasd: $(TSAN_CORE) $(TSAN_ADAPT)
	$(CC) $(TSAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread
$(TSAN_DIR)/tests/unit/test_%: tests/unit/test_%.c $(TSAN_CORE) $(UTIL_SRC:%.c=$(TSAN_DIR)/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS) -lm
$(TSAN_DIR)/tests/unit/test_domxml: tests/unit/test_domxml.c $(XML_SRC) $(TSAN_CORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN_FLAGS) $(XML_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(XML_LIBS) -lm

tsan: $(TSAN_DIR)/arasd $(TSAN_UNIT)

tsan-check: tsan
	TSAN_TESTS="$(TSAN_TESTS)" bash tests/tsan-check.sh

# make fuzz [FUZZ_TIME=N]: every libFuzzer target in tests/fuzz/ (clang,
# ASan+UBSan) for N seconds (60) from its corpus in tests/fuzz/corpus/NAME/;
# a crash is left as crash-* in build/fuzz and fails the run.
# make fuzz-check: each target over its corpus, then FUZZ_CHECK_TIME s
# (10) of fuzzing: what make check runs.
FUZZ_DIR   = build/fuzz
FUZZ_CC    = clang
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_TIME ?= 60
FUZZ_CHECK_TIME ?= 10

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) $(REPLAY_SRC) src/core/*.h src/replay/*.h
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(if $(CI),-Werror) -Isrc $(FUZZ_FLAGS) -o $@ $< $(CORE_SRC) \
		$(if $(findstring trace,$*),src/replay/trace.c) \
		$(if $(findstring domxml,$*),$(XML_CFLAGS) $(XML_SRC) $(XML_LIBS)) -lm

fuzz-bin: $(FUZZ_BIN)

fuzz: fuzz-bin
	bash tests/fuzz/run.sh $(FUZZ_TIME) grow

fuzz-check: fuzz-bin
	bash tests/fuzz/run.sh $(FUZZ_CHECK_TIME)

# Every supported build is warning-free under -Werror: gcc and clang at
# -O0, -O1, -O2, and the sanitizer flags (objects in build/matrix, thrown away).
build-matrix:
	sh tests/build-matrix.sh

# Rewrites every C file git tracks with .clang-format (see tools/format.sh).
format:
	sh tools/format.sh fix

clean:
	rm -f arasd arasd-replay src/*.o src/*/*.o $(UNIT_BIN) bench/floor tests/notify_drive
	rm -rf build

.PHONY: all demo install uninstall unit check test lint nms-check lab-check ha-check format clean bench-bin prometheus
.PHONY: san san-check tsan tsan-check fuzz fuzz-bin fuzz-check build-matrix
