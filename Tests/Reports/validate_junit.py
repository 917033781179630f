#!/usr/bin/env python3
"""Validates JUnit XML files against Tests/Reports/junit.xsd. Usage: validate_junit.py FILE…
With --self-test, first shows the schema rejects malformed reports, so a pass means something.
Needs lxml (pip install lxml)."""
import pathlib
import sys

from lxml import etree

SCHEMA = etree.XMLSchema(etree.parse(str(pathlib.Path(__file__).with_name("junit.xsd"))))

# Each of these breaks the format a CI server expects; the schema must refuse them all.
BROKEN = {
    "a testcase outside a testsuite": '<testsuites><testcase name="a" classname="c"/></testsuites>',
    "a testsuite without its test count": '<testsuites><testsuite name="s"/></testsuites>',
    "a testcase without a name": '<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>',
    "a negative failure count": '<testsuites><testsuite name="s" tests="1" failures="-1"/></testsuites>',
    "an unknown element": '<testsuites><testsuite name="s" tests="0"><outcome/></testsuite></testsuites>',
}


def self_test():
    ok = etree.fromstring('<testsuites><testsuite name="s" tests="1" failures="1"><testcase name="a" classname="c">'
                          '<failure message="m">text</failure></testcase></testsuite></testsuites>')
    assert SCHEMA.validate(ok), SCHEMA.error_log
    for what, xml in BROKEN.items():
        assert not SCHEMA.validate(etree.fromstring(xml)), f"the schema accepted {what}"
    print(f"schema self-test: a good report passes, {len(BROKEN)} broken ones fail")


def main(args):
    if args and args[0] == "--self-test":
        self_test()
        args = args[1:]
    failed = 0
    for path in args:
        if SCHEMA.validate(etree.parse(path)):
            print(f"✓ {path} is valid JUnit XML")
        else:
            failed += 1
            print(f"✗ {path}:\n{SCHEMA.error_log}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
