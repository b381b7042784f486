#!/usr/bin/env python3
"""Independent checker of a `fornax compile --board` design directory (issue 11 acceptance).

Written apart from the product's own tests: it reads the kernel's ports with Yosys (not with the
product's code), register offsets from the generated C header, clocks from `fornax boards --json`,
and checks the vendor files against them.

  bench/board-check.py DIR [--board NAME] [--fornax PATH] [--schema DIR/ieee-1685-2009]

--schema: a checkout's ieee-1685-2009/ directory (e.g. of github.com/edaa-org/IPXACT-Schema; not in this
repository) to validate vivado/component.xml with bench/XsdValidate.java (JDK only). Needs python3,
yosys, tclsh, cc, g++, make and a built ./fornax. It runs the design's Tcl scripts with the vendor
commands stubbed (they may create DIR/vivado_project/). Exit 0 when every check holds; every failed
check prints one `FAIL` line.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SPIRIT = "{http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009}"
HERE = os.path.dirname(os.path.abspath(__file__))

fails = []
passes = []


def check(ok, what):
    (passes if ok else fails).append(what)
    if not ok:
        print("FAIL " + what)
    return ok


# ---------------------------------------------------------------- Verilog ports (Yosys)
def verilog_ports(d):
    out = tempfile.mktemp(suffix=".json")
    subprocess.run(["yosys", "-q", "-p", "read_verilog -I%s %s; proc; write_json %s"
                    % (os.path.join(d, "rtl"), os.path.join(d, "rtl/fornax_kernel.v"), out)],
                   check=True, capture_output=True)
    m = json.load(open(out))["modules"]["fornax_kernel"]
    os.unlink(out)
    return {n: ("in" if p["direction"] == "input" else "out", len(p["bits"])) for n, p in m["ports"].items()}


# ---------------------------------------------------------------- AXI rules
AXI4_MASTER_OUT = {"AWID", "AWADDR", "AWLEN", "AWSIZE", "AWBURST", "AWLOCK", "AWCACHE", "AWPROT", "AWQOS",
                   "AWREGION", "AWUSER", "AWVALID", "WDATA", "WSTRB", "WLAST", "WUSER", "WVALID", "BREADY",
                   "ARID", "ARADDR", "ARLEN", "ARSIZE", "ARBURST", "ARLOCK", "ARCACHE", "ARPROT", "ARQOS",
                   "ARREGION", "ARUSER", "ARVALID", "RREADY"}
AXI4_MASTER_IN = {"AWREADY", "WREADY", "BID", "BRESP", "BUSER", "BVALID", "ARREADY", "RID", "RDATA", "RRESP",
                  "RLAST", "RUSER", "RVALID"}
AXI4LITE = {"AWADDR", "AWPROT", "AWVALID", "AWREADY", "WDATA", "WSTRB", "WVALID", "WREADY", "BRESP", "BVALID",
            "BREADY", "ARADDR", "ARPROT", "ARVALID", "ARREADY", "RDATA", "RRESP", "RVALID", "RREADY"}
AXIS_OUT = {"TVALID", "TDATA", "TSTRB", "TKEEP", "TLAST", "TID", "TDEST", "TUSER"}


def params_of(el):
    out = {}
    ps = el.find(SPIRIT + "parameters")
    if ps is not None:
        for p in ps.findall(SPIRIT + "parameter"):
            out[p.findtext(SPIRIT + "name")] = (p.findtext(SPIRIT + "value") or "").strip()
    return out


def header_offsets(hdr):
    """Every 32-bit register word the C header names (arrays expanded, 64-bit registers as LO and HI)."""
    out = set()
    for k, off in hdr.items():
        if not k.startswith("FORNAX_REG_") or re.search(r"_(COUNT|STRIDE|RESET)$", k):
            continue
        base = k[:-3] if k.endswith(("_LO", "_HI")) else k
        n = hdr.get(base + "_COUNT", 1)
        st = hdr.get(base + "_STRIDE", 4)
        for i in range(n):
            out.add(off + i * st)
            if base + "_HI" in hdr and not k.endswith("_HI"):
                out.add(off + i * st + 4)
    return out


def c_header_defines(path):
    out = {}
    for line in open(path):
        m = re.match(r"#define (FORNAX_\w+) (0x[0-9A-Fa-f]+|\d+)u?\b", line)
        if m:
            out[m.group(1)] = int(m.group(2), 0)
    return out


# ---------------------------------------------------------------- component.xml
def check_component(d, vp, schema, board):
    path = os.path.join(d, "vivado/component.xml")
    if not check(os.path.isfile(path), "vivado/component.xml exists"):
        return None
    if schema:
        r = subprocess.run(["java", os.path.join(HERE, "XsdValidate.java"), os.path.join(schema, "index.xsd"), path],
                           capture_output=True, text=True)
        check(r.returncode == 0, "component.xml valid against IEEE 1685-2009 (SPIRIT) schema: " + r.stdout.strip()[-400:])
    root = ET.parse(path).getroot()
    check(root.tag == SPIRIT + "component", "component.xml root is spirit:component")
    vlnv = ":".join(root.findtext(SPIRIT + k) for k in ("vendor", "library", "name", "version"))
    check(root.findtext(SPIRIT + "name") == "fornax_kernel", "component name fornax_kernel")
    # model ports == Verilog ports
    xp = {}
    for p in root.iter(SPIRIT + "port"):
        w = p.find(SPIRIT + "wire")
        vec = w.find(SPIRIT + "vector")
        width = 1 if vec is None else int(vec.findtext(SPIRIT + "left")) - int(vec.findtext(SPIRIT + "right")) + 1
        xp[p.findtext(SPIRIT + "name")] = (w.findtext(SPIRIT + "direction"), width)
    check(xp == vp, "component.xml model ports == Verilog ports (name, direction, width)%s"
          % ("" if xp == vp else ": diff " + str(set(xp.items()) ^ set(vp.items()))[:400]))
    # bus interfaces
    mapped = {}
    buses = {}
    for bi in root.find(SPIRIT + "busInterfaces").findall(SPIRIT + "busInterface"):
        name = bi.findtext(SPIRIT + "name")
        bt = bi.find(SPIRIT + "busType")
        typ = bt.get(SPIRIT + "name")
        mode = "master" if bi.find(SPIRIT + "master") is not None else "slave" if bi.find(SPIRIT + "slave") is not None else "?"
        logical = {}
        for pm in bi.iter(SPIRIT + "portMap"):
            lg = pm.find(SPIRIT + "logicalPort").findtext(SPIRIT + "name")
            ph = pm.find(SPIRIT + "physicalPort").findtext(SPIRIT + "name")
            check(ph in vp, "%s maps %s to an existing Verilog port %s" % (name, lg, ph))
            check(ph not in mapped, "port %s on one bus interface only (also on %s)" % (ph, mapped.get(ph)))
            mapped[ph] = name
            logical[lg] = ph
        buses[name] = (typ, mode, logical, params_of(bi), bi)
    unmapped = sorted(set(vp) - set(mapped))
    check(not unmapped, "every Verilog port is on a bus interface (unmapped: %s)" % unmapped)
    aximm = [n for n, b in buses.items() if b[0] == "aximm"]
    axis = [n for n, b in buses.items() if b[0] == "axis"]
    for n in aximm + axis:
        typ, mode, logical, prm, _ = buses[n]
        for lg, ph in logical.items():
            check(ph == n + "_" + lg.lower(), "%s: physical %s named <bus>_<logical lower> (%s)" % (n, ph, lg))
            if typ == "aximm":
                if n == "s_axi_control":
                    check(lg in AXI4LITE, "s_axi_control: %s is an AXI4-Lite signal" % lg)
                    want = "out" if lg in AXI4_MASTER_IN else "in"
                else:
                    check(lg in AXI4_MASTER_OUT | AXI4_MASTER_IN, "%s: %s is an AXI4 signal" % (n, lg))
                    want = "in" if lg in AXI4_MASTER_IN else "out"
                if mode == "slave":
                    pass
                check(vp[ph][0] == want, "%s %s: direction %s for a %s (Verilog %s)" % (n, lg, want, mode, vp[ph][0]))
            else:
                want = ("out" if lg in AXIS_OUT else "in") if mode == "master" else ("in" if lg in AXIS_OUT else "out")
                check(vp[ph][0] == want, "%s %s: direction %s for an AXI4-Stream %s" % (n, lg, want, mode))
                if lg == "TDATA":
                    check(vp[ph][1] % 8 == 0, "%s TDATA is a whole number of bytes (%d bits)" % (n, vp[ph][1]))
        if typ == "aximm":
            for need in (["AWADDR", "AWVALID", "AWREADY", "WDATA", "WSTRB", "WVALID", "WREADY", "BRESP", "BVALID",
                          "BREADY", "ARADDR", "ARVALID", "ARREADY", "RDATA", "RRESP", "RVALID", "RREADY"]
                         if n == "s_axi_control" else
                         ["ARADDR", "ARLEN", "ARSIZE", "ARBURST", "ARVALID", "ARREADY", "RDATA", "RRESP", "RLAST",
                          "RVALID", "RREADY"]):
                check(need in logical, "%s has %s" % (n, need))
            if n == "s_axi_control":
                check(mode == "slave", "s_axi_control is a slave")
                check(prm.get("PROTOCOL") == "AXI4LITE", "s_axi_control PROTOCOL=AXI4LITE")
                check(buses[n][4].find(SPIRIT + "slave/" + SPIRIT + "memoryMapRef") is not None,
                      "s_axi_control slave references a memory map")
                check(vp.get("s_axi_control_rdata", (0, 0))[1] == 32, "s_axi_control 32-bit data")
            else:
                check(mode == "master", "%s is a master" % n)
                check(n.startswith("m_axi_"), "%s named m_axi_*" % n)
                for a in ("ARADDR", "AWADDR"):
                    if a in logical:
                        check(vp[logical[a]][1] == 64, "%s %s is 64 bits (Verilog %d)" % (n, a, vp[logical[a]][1]))
                if "ADDR_WIDTH" in prm:
                    check(prm["ADDR_WIDTH"] == "64", "%s ADDR_WIDTH parameter 64" % n)
                if "DATA_WIDTH" in prm:
                    check(int(prm["DATA_WIDTH"]) == vp[logical["RDATA"]][1], "%s DATA_WIDTH = RDATA width" % n)
                if "ARLEN" in logical:
                    check(vp[logical["ARLEN"]][1] == 8, "%s ARLEN 8 bits (AXI4)" % n)
                if "WDATA" in logical and "WSTRB" in logical:
                    check(vp[logical["WSTRB"]][1] * 8 == vp[logical["WDATA"]][1], "%s WSTRB = WDATA/8" % n)
    clocks = [n for n, b in buses.items() if b[0] == "clock"]
    resets = [n for n, b in buses.items() if b[0] == "reset"]
    check(clocks == ["ap_clk"], "one clock interface ap_clk (%s)" % clocks)
    check(resets == ["ap_rst_n"], "one reset interface ap_rst_n (%s)" % resets)
    if clocks == ["ap_clk"]:
        prm = buses["ap_clk"][3]
        assoc = set(filter(None, prm.get("ASSOCIATED_BUSIF", "").split(":")))
        check(assoc == set(aximm + axis), "ap_clk ASSOCIATED_BUSIF = every AXI interface (%s vs %s)"
              % (sorted(assoc), sorted(aximm + axis)))
        check(prm.get("ASSOCIATED_RESET") == "ap_rst_n", "ap_clk ASSOCIATED_RESET=ap_rst_n")
        check(vp.get("ap_clk") == ("in", 1), "ap_clk is a 1-bit input")
        if board:
            check(abs(float(prm.get("FREQ_HZ", "0")) - board["default_clock_hz"]) < 1, "ap_clk FREQ_HZ = board clock")
    if resets == ["ap_rst_n"]:
        check(buses["ap_rst_n"][3].get("POLARITY") == "ACTIVE_LOW", "ap_rst_n POLARITY=ACTIVE_LOW")
        check(vp.get("ap_rst_n") == ("in", 1), "ap_rst_n is a 1-bit input")
    if "interrupt" in buses:
        check(buses["interrupt"][0] == "interrupt" and buses["interrupt"][1] == "master", "interrupt is an interrupt master")
        check(buses["interrupt"][3].get("SENSITIVITY") == "LEVEL_HIGH", "interrupt SENSITIVITY=LEVEL_HIGH")
    check("interrupt" in vp, "the kernel has an interrupt output")
    # memory map: register offsets = C header
    regs = {}
    mm = root.find(SPIRIT + "memoryMaps")
    check(mm is not None, "component.xml has a memory map")
    if mm is not None:
        for r in mm.iter(SPIRIT + "register"):
            regs[r.findtext(SPIRIT + "name")] = int(r.findtext(SPIRIT + "addressOffset"), 0)
        ab = mm.find(SPIRIT + "memoryMap/" + SPIRIT + "addressBlock")
        rng = int(ab.findtext(SPIRIT + "range"), 0)
        check(rng == 1 << vp["s_axi_control_awaddr"][1], "address block range = 2^AWADDR width (%d)" % rng)
    hdr = c_header_defines(os.path.join(d, "driver/fornax_regs.h"))
    offs = header_offsets(hdr)
    comp_offs = set(regs.values())
    check(offs == comp_offs, "register words: fornax_regs.h offsets = component.xml offsets (only header: %s, only xml: %s)"
          % (sorted(hex(x) for x in offs - comp_offs), sorted(hex(x) for x in comp_offs - offs)))
    # file sets resolve from vivado/
    files = []
    for fs in root.iter(SPIRIT + "fileSet"):
        for f in fs.findall(SPIRIT + "file"):
            n = f.findtext(SPIRIT + "name")
            files.append(os.path.normpath(os.path.join(d, "vivado", n)))
            check(os.path.exists(files[-1]), "component.xml file %s resolves from vivado/" % n)
    for v in glob.glob(os.path.join(d, "rtl/*.v")) + glob.glob(os.path.join(d, "rtl/*.vh")):
        check(os.path.normpath(v) in files, "component.xml file sets list %s" % os.path.relpath(v, d))
    fsnames = {fs.findtext(SPIRIT + "name") for fs in root.iter(SPIRIT + "fileSet")}
    for ref in root.iter(SPIRIT + "fileSetRef"):
        check(ref.findtext(SPIRIT + "localName") in fsnames, "view references an existing fileSet")
    return {"vlnv": vlnv, "aximm": aximm, "axis": axis, "buses": buses, "regs": regs}


# ---------------------------------------------------------------- kernel.xml + connectivity
HBM_BOARDS = {"u280": 32, "u55c": 32, "u50": 32}


def check_vitis(d, vp, comp, board):
    kx = os.path.join(d, "vitis/kernel.xml")
    if not check(os.path.isfile(kx), "vitis/kernel.xml exists (Alveo board)"):
        return
    k = ET.parse(kx).getroot().find("kernel")
    check(k.get("name") == "fornax_kernel", "kernel.xml kernel name")
    check(k.get("hwControlProtocol") == "ap_ctrl_hs", "kernel.xml ap_ctrl_hs")
    check(k.get("language") == "ip_c", "kernel.xml language ip_c")
    check(k.get("vlnv") == comp["vlnv"], "kernel.xml vlnv = component.xml VLNV (%s / %s)" % (k.get("vlnv"), comp["vlnv"]))
    check(k.get("interrupt") == "true", "kernel.xml interrupt=true")
    ports = {p.get("name"): p for p in k.find("ports").findall("port")}
    check(set(ports) == set(comp["aximm"]), "kernel.xml ports = component.xml AXI4 interfaces (%s / %s)"
          % (sorted(ports), sorted(comp["aximm"])))
    for n, p in ports.items():
        if n == "s_axi_control":
            check(p.get("mode") == "slave", "kernel.xml s_axi_control slave")
            check(int(p.get("range"), 0) == 1 << vp["s_axi_control_awaddr"][1], "s_axi_control range = 2^AWADDR")
        else:
            check(p.get("mode") == "master", "kernel.xml %s master" % n)
            check(int(p.get("dataWidth")) == vp[n + "_rdata"][1], "kernel.xml %s dataWidth = Verilog" % n)
            check(int(p.get("range"), 0) == (1 << 64) - 1, "kernel.xml %s range 64-bit" % n)
    hdr = c_header_defines(os.path.join(d, "driver/fornax_regs.h"))
    args = k.find("args").findall("arg")
    used = []
    ids = []
    for a in args:
        off = int(a.get("offset"), 0)
        size = int(a.get("size"), 0)
        ids.append(int(a.get("id")))
        check(a.get("port") in ports, "arg %s on an existing port" % a.get("name"))
        check(off >= 0x10 and off + size <= int(ports["s_axi_control"].get("range"), 0),
              "arg %s offset 0x%x past the control words, inside s_axi_control" % (a.get("name"), off))
        if a.get("addressQualifier") == "1":
            check(size == 8 and a.get("type").endswith("*"), "pointer arg %s is 64 bits" % a.get("name"))
            check(a.get("port") != "s_axi_control", "pointer arg %s names its master" % a.get("name"))
        else:
            check(a.get("port") == "s_axi_control", "scalar arg %s on s_axi_control" % a.get("name"))
        for (o, s, n) in used:
            check(off + size <= o or o + s <= off, "args %s and %s do not overlap" % (a.get("name"), n))
        used.append((off, size, a.get("name")))
        check(off in header_offsets(hdr), "arg %s offset 0x%x is a register of fornax_regs.h" % (a.get("name"), off))
    check(ids == list(range(len(ids))), "arg ids 0..n-1 in order")
    for n in ports:
        if n != "s_axi_control":
            check(any(a.get("port") == n for a in args), "master %s has a pointer argument (Vitis needs one)" % n)
    # W_BASE args: w<i> at W_BASE + 8i
    for a in args:
        m = re.fullmatch(r"w(\d+)", a.get("name"))
        if m:
            check(int(a.get("offset"), 0) == hdr["FORNAX_REG_W_BASE"] + 8 * int(m.group(1)),
                  "arg %s at W_BASE+8i" % a.get("name"))
            check(a.get("port") == "m_axi_w" + m.group(1), "arg %s on m_axi_w%s" % (a.get("name"), m.group(1)))
    # connectivity
    cfg = open(os.path.join(d, "vitis/connectivity.cfg")).read()
    sp = dict(re.findall(r"^sp=fornax_kernel_1\.(\w+):(\S+)$", cfg, re.M))
    masters = [n for n in ports if n != "s_axi_control"]
    check(sorted(sp) == sorted(masters), "connectivity.cfg maps every master (%s / %s)" % (sorted(sp), sorted(masters)))
    check(re.search(r"^nk=fornax_kernel:1:fornax_kernel_1$", cfg, re.M) is not None, "connectivity nk line")
    banks = list(sp.values())
    name = board["id"] if board else ""
    nbanks = HBM_BOARDS.get(name, 4)
    if len(banks) <= nbanks:
        check(len(set(banks)) == len(banks), "every master on its own bank (%s)" % banks)
    else:
        check(len(set(banks)) == nbanks, "more masters than banks: every bank used (%s)" % banks)
    for m, b in sp.items():
        if name in HBM_BOARDS:
            mm = re.fullmatch(r"HBM\[(\d+)\]", b)
            check(mm is not None and int(mm.group(1)) < HBM_BOARDS[name], "%s -> %s is an HBM pseudo-channel of %s" % (m, b, name))
        else:
            mm = re.fullmatch(r"DDR\[(\d+)\]", b)
            check(mm is not None and int(mm.group(1)) < 4, "%s -> %s is a DDR bank" % (m, b))
    if board:
        m = re.search(r"^freqHz=(\d+):fornax_kernel_1\.ap_clk$", cfg, re.M)
        check(m is not None and abs(int(m.group(1)) - board["default_clock_hz"]) < 1, "connectivity clock = board clock")


# ---------------------------------------------------------------- Tcl
TCL_STUB = r"""
set ::calls {}
proc unknown {args} {
    lappend ::calls $args
    if {[lindex $args 0] eq "get_property" && [lindex $args 1] eq "PROGRESS"} { return "100%" }
    if {[lindex $args 0] eq "current_project"} { return "fornax_kernel" }
    return ""
}
rename package _pkg
proc package {args} {
    if {[lindex $args 0] eq "require"} { return 1.0 }
    uplevel 1 [list _pkg {*}$args]
}
set f [open [lindex $argv 0]]
set text [read $f]
close $f
if {![info complete $text]} { puts stderr "incomplete Tcl"; exit 3 }
set argv [lrange $argv 1 end]
set argc [llength $argv]
source [lindex $::argv0_script 0]
set out [open [lindex $::outfile 0] w]
foreach c $::calls { puts $out [list {*}$c] }
close $out
"""

OUTPUT_COMMANDS = {"create_project", "write_bitstream", "write_hw_platform", "report_utilization",
                   "report_timing_summary", "project_new", "open_project", "write_checkpoint", "make_wrapper"}
OUTPUT_FLAGS = {"-xo_path", "-file", "-dir"}


def run_tcl(script, cwd):
    stub = tempfile.mktemp(suffix=".tcl")
    out = tempfile.mktemp(suffix=".calls")
    open(stub, "w").write("set ::argv0_script [list %s]\nset ::outfile [list %s]\n" % (script, out) + TCL_STUB)
    r = subprocess.run(["tclsh", stub, script], cwd=cwd, capture_output=True, text=True, timeout=60)
    calls = []
    if os.path.exists(out):
        tcl_lists = open(out).read().splitlines()
        # parse each Tcl list line with tclsh itself
        conv = subprocess.run(["tclsh"], input="set f [open %s]\nwhile {[gets $f l] >= 0} { puts [join $l \"\\x1f\"] }\n" % out,
                              capture_output=True, text=True)
        for line in conv.stdout.splitlines():
            calls.append(line.split("\x1f"))
        os.unlink(out)
    os.unlink(stub)
    return r.returncode, r.stderr, calls


def path_words(word):
    # a Tcl word holding one or several absolute paths (lists, "MEM_DIR=\"/x/mem/\"")
    return re.findall(r"(/[^\s\"{}]+)", word)


def check_tcl(d, vp, comp, board, vendor_dirs):
    scripts = sorted(glob.glob(os.path.join(d, "**/*.tcl"), recursive=True))
    check(len(scripts) > 0, "Tcl scripts exist")
    real = os.path.realpath(d)
    allcalls = {}
    for s in scripts:
        rel = os.path.relpath(s, d)
        if rel.startswith("vivado/xgui/"):
            # Vivado's IP GUI script: procs only, run by Vivado's packager
            txt = open(s).read()
            r = subprocess.run(["tclsh"], input="set f [open {%s}]; set t [read $f]; close $f\n"
                               "if {![info complete $t]} { exit 3 }\n"
                               "proc unknown args {}\nnamespace eval ipx {}\nsource {%s}\n" % (s, s),
                               capture_output=True, text=True)
            check(r.returncode == 0, "%s is complete Tcl and sources: %s" % (rel, r.stderr.strip()[-200:]))
            check("proc " in txt, "%s defines procs" % rel)
            continue
        rc, err, calls = run_tcl(s, "/")
        check(rc == 0, "tclsh runs %s with vendor commands stubbed (cwd /): %s" % (rel, err.strip()[-300:]))
        allcalls[rel] = calls
        for c in calls:
            cmd = c[0]
            if cmd in OUTPUT_COMMANDS or "_bd_" in cmd or cmd.endswith("_bd_address"):
                continue
            skip_next = False
            for i, w in enumerate(c[1:]):
                if skip_next:
                    skip_next = False
                    continue
                if w in OUTPUT_FLAGS:
                    skip_next = True
                    continue
                for p in path_words(w):
                    if cmd == "set_property" and c[1] in ("DIRECTORY",):
                        continue
                    if p.endswith(".xo") or p.endswith(".xpr") or p.endswith("/vivado_project"):
                        continue
                    check(os.path.exists(p), "%s: %s references %s, which exists" % (rel, cmd, p))
                    check(os.path.realpath(p).startswith(real), "%s: %s path %s inside the design dir" % (rel, cmd, p))
    # Vivado project: part, every RTL file, every mem file, top, XDC, MEM_DIR absolute
    pc = allcalls.get("vivado/project.tcl")
    if check(pc is not None, "vivado/project.tcl present"):
        cp = [c for c in pc if c[0] == "create_project"]
        check(cp and board and board["part"] in cp[0], "project.tcl create_project -part %s" % (board and board["part"]))
        added = set()
        for c in pc:
            if c[0] == "add_files":
                for w in c[1:]:
                    added.update(path_words(w))
        for f in glob.glob(os.path.join(d, "rtl/*.v")) + glob.glob(os.path.join(d, "rtl/*.vh")) + rom_mems(d):
            check(os.path.abspath(f) in added, "project.tcl adds %s" % os.path.relpath(f, d))
        check(any(c[0] == "set_property" and c[1:3] == ["top", "fornax_kernel"] for c in pc), "project.tcl sets top fornax_kernel")
        check(any(c[0] == "read_xdc" for c in pc), "project.tcl reads the XDC")
        md = [c for c in pc if c[0] == "set_property" and c[1] == "generic"]
        check(md and ("MEM_DIR=\"%s/\"" % os.path.join(os.path.abspath(d), "mem")) in md[0][2],
              "project.tcl sets MEM_DIR to this directory's mem/ (%s)" % (md and md[0][2]))
        check(any(c[0].startswith("ipx::") for c in pc), "project.tcl packages the IP")
    qc = allcalls.get("quartus/fornax_kernel.tcl")
    if check(qc is not None, "quartus/fornax_kernel.tcl present"):
        vf = {c[3] for c in qc if c[0] == "set_global_assignment" and len(c) > 3 and c[2] in ("VERILOG_FILE", "VERILOG_INCLUDE_FILE")}
        for f in glob.glob(os.path.join(d, "rtl/*.v")) + glob.glob(os.path.join(d, "rtl/*.vh")):
            check(os.path.abspath(f) in vf, "quartus tcl adds %s" % os.path.relpath(f, d))
        mifs = {c[3] for c in qc if c[0] == "set_global_assignment" and len(c) > 3 and c[2] == "MIF_FILE"}
        for m in rom_mems(d):
            mif = os.path.join(os.path.abspath(d), "quartus/mif", os.path.basename(m)[:-4] + ".mif")
            check(mif in mifs, "quartus tcl adds %s" % os.path.relpath(mif, d))
        check(any(c[0] == "set_global_assignment" and c[2] == "TOP_LEVEL_ENTITY" and c[3] == "fornax_kernel" for c in qc),
              "quartus top fornax_kernel")
        check(any(c[0] == "set_global_assignment" and c[2] == "SDC_FILE" for c in qc), "quartus SDC")
    bc = allcalls.get("vivado/bd.tcl")
    if board and board.get("flow") == "zynq_mpsoc":
        if check(bc is not None, "vivado/bd.tcl present for the MPSoC board"):
            text = " ".join(" ".join(c) for c in bc)
            for n in comp["aximm"]:
                check(("/fornax/" + n) in text or ("fornax/" + n) in text, "bd.tcl connects %s" % n)
            check("fornax/interrupt" in text, "bd.tcl connects the interrupt")
            hp = re.findall(r"Master \{/fornax/(m_axi_\w+)\} Slave \{/zynq_ps/(S_AXI_HP\d_FPD)\}", text)
            check(len(hp) == len([n for n in comp["aximm"] if n != "s_axi_control"]), "bd.tcl: every master to an HP port (%s)" % hp)
    xo = allcalls.get("vitis/package_xo.tcl")
    if os.path.isdir(os.path.join(d, "vitis")):
        check(xo is not None and any(c[0] == "package_xo" for c in xo), "package_xo.tcl calls package_xo")
        if xo:
            pk = [c for c in xo if c[0] == "package_xo"][0]
            kx = os.path.normpath(pk[pk.index("-kernel_xml") + 1])
            check(kx == os.path.join(d, "vitis/kernel.xml"), "package_xo -kernel_xml is vitis/kernel.xml (%s)" % kx)
            xp = os.path.normpath(pk[pk.index("-xo_path") + 1])
            check(xp == os.path.join(d, "vitis/fornax_kernel.xo"), "package_xo -xo_path is vitis/fornax_kernel.xo, as the .cfg comment says (%s)" % xp)
            check(pk[pk.index("-kernel_name") + 1] == "fornax_kernel", "package_xo -kernel_name fornax_kernel")


# ---------------------------------------------------------------- ROMs
def rom_mems(d):
    names = set()
    for v in glob.glob(os.path.join(d, "rtl/*.v")):
        txt = open(v).read()
        for m in re.finditer(r'"([\w.]+\.mem)"', txt):
            names.add(m.group(1))
    # names given as parameters in fornax_top (e.g. .FILE("gain.mem"))
    return sorted(os.path.join(d, "mem", n) for n in names if os.path.exists(os.path.join(d, "mem", n)))


def mem_words(path):
    return [l.strip().lower() for l in open(path) if l.strip() and not l.strip().startswith("//")]


def check_roms(d):
    roms = rom_mems(d)
    allmem = sorted(glob.glob(os.path.join(d, "mem/*.mem")))
    check(roms == allmem, "every mem/*.mem is named in the RTL (%s vs %s)"
          % ([os.path.basename(x) for x in roms], [os.path.basename(x) for x in allmem]))
    for m in allmem:
        b = os.path.basename(m)[:-4]
        want = mem_words(m)
        coe = os.path.join(d, "vivado/coe", b + ".coe")
        mif = os.path.join(d, "quartus/mif", b + ".mif")
        if check(os.path.isfile(coe), "vivado/coe/%s.coe exists" % b):
            t = open(coe).read()
            check("memory_initialization_radix=16;" in t, "%s.coe radix 16" % b)
            vec = t.split("memory_initialization_vector=")[1].strip()
            check(vec.endswith(";"), "%s.coe ends with ;" % b)
            got = [w.strip().lower() for w in vec.rstrip(";").split(",")]
            check([int(x, 16) for x in got] == [int(x, 16) for x in want], "%s.coe words = .mem words" % b)
        if check(os.path.isfile(mif), "quartus/mif/%s.mif exists" % b):
            t = open(mif).read()
            depth = int(re.search(r"DEPTH\s*=\s*(\d+);", t).group(1))
            width = int(re.search(r"WIDTH\s*=\s*(\d+);", t).group(1))
            check(depth == len(want), "%s.mif DEPTH = words (%d/%d)" % (b, depth, len(want)))
            body = t.split("CONTENT BEGIN")[1].split("END;")[0]
            got = {}
            for a, v in re.findall(r"^\s*(\d+)\s*:\s*([0-9A-Fa-f]+);", body, re.M):
                got[int(a)] = int(v, 16)
            check([got.get(i) for i in range(len(want))] == [int(x, 16) for x in want], "%s.mif words = .mem words" % b)
            check(all(int(x, 16) < (1 << width) for x in want), "%s.mif WIDTH holds every word" % b)


# ---------------------------------------------------------------- XDC / SDC
def check_clock(d, vp, board):
    if not board:
        return
    period = 1e9 / board["default_clock_hz"]
    for f, pat in (("vivado/fornax_kernel.xdc", r"create_clock\s+-period\s+([\d.]+)\s+-name\s+(\w+)\s+\[get_ports\s+\{?(\w+)\}?\]"),
                   ("quartus/fornax_kernel.sdc", r"create_clock\s+-name\s+(\w+)\s+-period\s+([\d.]+)\s+\[get_ports\s+\{?(\w+)\}?\]")):
        p = os.path.join(d, f)
        if not check(os.path.isfile(p), "%s exists" % f):
            continue
        m = re.search(pat, open(p).read())
        if check(m is not None, "%s has create_clock on a port" % f):
            per = float(m.group(1) if f.endswith("xdc") else m.group(2))
            port = m.group(3)
            check(abs(per - period) < 0.0005, "%s period %.3f ns = 1e9/%g Hz" % (f, per, board["default_clock_hz"]))
            check(port in vp and port == "ap_clk", "%s clock port %s is the kernel's ap_clk" % (f, port))


# ---------------------------------------------------------------- RTL reset / widths
def check_rtl(d, vp):
    for v in glob.glob(os.path.join(d, "rtl/*.v")):
        t = open(v).read()
        check(not re.search(r"(neg|pos)edge\s+(ap_rst_n|rst\b|rst_n)", t), "%s: no asynchronous reset" % os.path.basename(v))
        check("$readmem" not in t or "MEM_DIR" in t or "FILE" in t, "%s: $readmem through MEM_DIR" % os.path.basename(v))
    top = open(os.path.join(d, "rtl/fornax_top.v")).read()
    for m in re.finditer(r"(input|output)\s+wire\s+\[(\d+):0\]\s+(\w+_tdata)", top):
        check((int(m.group(2)) + 1) % 8 == 0, "fornax_top %s is a whole number of bytes (%s bits)" % (m.group(3), int(m.group(2)) + 1))
    for n, (dirn, w) in vp.items():
        if n.endswith("_tdata") or n.endswith("_rdata") or n.endswith("_wdata"):
            check(w % 8 == 0, "kernel %s whole bytes" % n)


# ---------------------------------------------------------------- C
XRT_STUBS = {
    "xrt/xrt_device.h": "#pragma once\n#include <string>\nnamespace xrt { struct uuid {}; struct device { explicit device(unsigned) {} uuid load_xclbin(const std::string&) { return {}; } }; }\n",
    "xrt/xrt_bo.h": "#pragma once\n#include <cstddef>\n#include <cstdint>\n#include \"xrt_device.h\"\nenum xclBOSyncDirection { XCL_BO_SYNC_BO_TO_DEVICE, XCL_BO_SYNC_BO_FROM_DEVICE };\nnamespace xrt { struct bo { enum class flags { normal }; using memory_group = int; bo(const device&, size_t, flags, memory_group) {} uint64_t address() const { return 0; } size_t size() const { return 0; } void write(const void*, size_t, size_t) {} void read(void*, size_t, size_t) {} void sync(xclBOSyncDirection, size_t, size_t) {} }; }\n",
    "xrt/xrt_kernel.h": "#pragma once\n#include <cstdint>\n#include <string>\n#include \"xrt_bo.h\"\nnamespace xrt { struct kernel { enum class cu_access_mode { exclusive, shared }; kernel(const device&, const uuid&, const std::string&, cu_access_mode) {} int group_id(int) const { return 0; } uint32_t read_register(uint32_t) const { return 0; } void write_register(uint32_t, uint32_t) {} }; }\n",
}


def check_c(d):
    drv = os.path.join(d, "driver")
    cs = sorted(glob.glob(os.path.join(drv, "*.c")))
    check(len(cs) >= 3, "driver has C sources (%d)" % len(cs))
    for c in cs:
        for cc in ("cc", "gcc") + (("clang",) if shutil.which("clang") else ()):
            r = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", c, "-o", os.devnull],
                               cwd=drv, capture_output=True, text=True)
            check(r.returncode == 0, "%s -std=c99 -Wall -Wextra -Werror -pedantic %s: %s" % (cc, os.path.basename(c), r.stderr.strip()[:300]))
        r = subprocess.run(["cc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wconversion",
                            "-Wno-sign-conversion", "-c", c, "-o", os.devnull], cwd=drv, capture_output=True, text=True)
        if r.returncode != 0:
            print("note: %s with -O2 -Wshadow -Wconversion: %s" % (os.path.basename(c), r.stderr.strip()[:300]))
    for h in glob.glob(os.path.join(drv, "*.h")):
        r = subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-x", "c", "-"],
                           input='#include "%s"\n#include "%s"\nint fornax_check_main(void) { return 0; }\n'
                           % (os.path.basename(h), os.path.basename(h)), cwd=drv, capture_output=True, text=True)
        check(r.returncode == 0, "header %s compiles alone and twice (include guard): %s" % (os.path.basename(h), r.stderr.strip()[:300]))
    inc = tempfile.mkdtemp()
    for n, t in XRT_STUBS.items():
        os.makedirs(os.path.join(inc, os.path.dirname(n)), exist_ok=True)
        open(os.path.join(inc, n), "w").write(t)
    for c in sorted(glob.glob(os.path.join(drv, "*.cpp"))):
        r = subprocess.run(["g++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I" + inc, c],
                           cwd=drv, capture_output=True, text=True)
        check(r.returncode == 0, "g++ -Wall -Wextra -Werror %s (XRT stand-in headers): %s" % (os.path.basename(c), r.stderr.strip()[:300]))
    shutil.rmtree(inc)
    work = tempfile.mkdtemp()
    shutil.copytree(drv, os.path.join(work, "driver"))
    r = subprocess.run(["make", "-s"], cwd=os.path.join(work, "driver"), capture_output=True, text=True)
    check(r.returncode == 0, "driver/Makefile builds: %s" % r.stderr.strip()[:300])
    shutil.rmtree(work)


# ---------------------------------------------------------------- FuseSoC
def check_core(d):
    p = os.path.join(d, "fornax.core")
    if not check(os.path.isfile(p), "fornax.core exists"):
        return
    t = open(p).read()
    check(t.startswith("CAPI=2:"), "fornax.core CAPI=2")
    for f in re.findall(r"^\s+- ([^:\s]+)", t, re.M):
        check(os.path.exists(os.path.join(d, f)), "fornax.core file %s exists" % f)
    for tool in ("verilator", "icarus", "vivado"):
        check(("default_tool: " + tool) in t, "fornax.core target with %s" % tool)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--board")
    ap.add_argument("--fornax", default="./fornax")
    ap.add_argument("--schema")
    a = ap.parse_args()
    d = os.path.abspath(a.dir)
    man = json.load(open(os.path.join(d, "manifest.json")))
    bname = a.board or man.get("vendor", {}).get("board")
    board = None
    if bname:
        boards = json.loads(subprocess.run([a.fornax, "boards", "--json"], capture_output=True, text=True, check=True).stdout)
        board = next((b for b in boards if b["id"] == bname), None)
        check(board is not None, "board %s in fornax boards" % bname)
    vp = verilog_ports(d)
    comp = check_component(d, vp, a.schema, board)
    if comp:
        if board and board["id"].startswith(("u2", "u5")):
            check_vitis(d, vp, comp, board)
        check_tcl(d, vp, comp, board, None)
    check_clock(d, vp, board)
    check_roms(d)
    check_rtl(d, vp)
    check_c(d)
    check_core(d)
    print("%s: %d checks hold, %d fail" % (a.dir, len(passes), len(fails)))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
