package dev.fornax.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import dev.fornax.kernel.RegisterMap;
import dev.fornax.testing.Shared;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The files of compile --board for the two boards (KV260 and U280, weights in DRAM) and a rom
 * design on an Arty: the XML parses and says what the kernel's Verilog says (every port, direction,
 * width, every port on a bus interface, the clock's ASSOCIATED_BUSIF/RESET, the reset polarity, the
 * register map), every Tcl script runs in tclsh with the vendor commands stubbed (so its syntax and
 * variables are checked and the files it adds exist, also after the design directory moved), the XDC
 * asks for the board's clock, the .coe/.mif equal the .mem files word for word, and every C file of
 * the driver compiles with -Wall -Wextra -Werror.
 */
class VendorFilesTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");
    private static Path tmp;
    private static final Map<String, Path> designs = new LinkedHashMap<>();

    @BeforeAll
    static void compile() throws Exception {
        tmp = Files.createTempDirectory("fornax-vendor-test");
        for (String[] c : new String[][] {{"kv260", "dram"}, {"u280", "dram"}, {"arty-a7-100t", "rom"}}) {
            Path out = tmp.resolve(c[0]);
            int rc = Main.run("compile", STORIES.toString(), "-o", out.toString(), "--board", c[0], "--weights", c[1],
                    "--context", "64");
            assertThat(rc).as("compile --board " + c[0]).isZero();
            designs.put(c[0], out);
        }
    }

    @AfterAll
    static void clean() throws Exception {
        if (tmp != null) {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JsonNode manifest(Path d) throws Exception {
        return new ObjectMapper().readTree(d.resolve("manifest.json").toFile());
    }

    /** The kernel's ports from the Verilog module header: name, direction, width. */
    record VPort(String dir, int width) {}

    static Map<String, VPort> verilogPorts(Path kernelV) throws Exception {
        String v = Files.readString(kernelV);
        int start = v.indexOf(") (") + 3;
        String header = v.substring(start, v.indexOf(");", start));
        Map<String, VPort> ports = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(input|output) wire (?:\\[(\\d+):0\\] )?(\\w+)").matcher(header);
        while (m.find()) {
            ports.put(m.group(3), new VPort(m.group(1).equals("input") ? "in" : "out",
                    m.group(2) == null ? 1 : Integer.parseInt(m.group(2)) + 1));
        }
        return ports;
    }

    static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(xml.toFile());
    }

    static List<Element> children(Node parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e && e.getLocalName().equals(localName)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Node parent, String localName) {
        List<Element> c = children(parent, localName);
        assertThat(c).as("<" + localName + "> under <" + parent.getNodeName() + ">").hasSize(1);
        return c.get(0);
    }

    static String text(Node parent, String localName) {
        return child(parent, localName).getTextContent().trim();
    }

    @Test
    void componentXmlDescribesTheKernelsPorts() throws Exception {
        for (Map.Entry<String, Path> e : designs.entrySet()) {
            Path d = e.getValue();
            Map<String, VPort> vp = verilogPorts(d.resolve("rtl/fornax_kernel.v"));
            assertThat(vp).containsKeys("ap_clk", "ap_rst_n", "interrupt", "s_axi_control_awaddr", "m_axi_io_wdata");
            Document doc = parse(d.resolve("vivado/component.xml"));
            Element comp = doc.getDocumentElement();
            assertThat(comp.getNamespaceURI()).isEqualTo("http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009");
            assertThat(text(comp, "name")).isEqualTo("fornax_kernel");
            // model ports = Verilog ports, in order, same direction and width
            Map<String, VPort> xp = new LinkedHashMap<>();
            for (Element p : children(child(child(comp, "model"), "ports"), "port")) {
                Element wire = child(p, "wire");
                List<Element> vec = children(wire, "vector");
                int w = vec.isEmpty() ? 1 : Integer.parseInt(text(vec.get(0), "left")) - Integer.parseInt(text(vec.get(0), "right")) + 1;
                xp.put(text(p, "name"), new VPort(text(wire, "direction"), w));
            }
            assertThat(xp).as(e.getKey() + " component.xml ports").containsExactlyEntriesOf(vp);
            // every port is on exactly one bus interface (Vitis rule); the clock and reset parameters
            Set<String> mapped = new HashSet<>();
            Map<String, Map<String, String>> params = new HashMap<>();
            List<String> axi = new ArrayList<>();
            for (Element bi : children(child(comp, "busInterfaces"), "busInterface")) {
                String name = text(bi, "name");
                String type = child(bi, "busType").getAttributeNS(IpXact.NS_SPIRIT, "name");
                if (type.equals("aximm")) {
                    axi.add(name);
                }
                for (Element pm : children(child(bi, "portMaps"), "portMap")) {
                    String phys = text(child(pm, "physicalPort"), "name");
                    assertThat(vp).as("port map of " + name).containsKey(phys);
                    assertThat(mapped.add(phys)).as(phys + " on one interface only").isTrue();
                }
                Map<String, String> pv = new HashMap<>();
                for (Element p : children(child(bi, "parameters"), "parameter")) {
                    pv.put(text(p, "name"), text(p, "value"));
                }
                params.put(name, pv);
            }
            assertThat(mapped).as("every port on a bus interface").isEqualTo(vp.keySet());
            assertThat(params.get("ap_clk").get("ASSOCIATED_RESET")).isEqualTo("ap_rst_n");
            assertThat(List.of(params.get("ap_clk").get("ASSOCIATED_BUSIF").split(":"))).containsExactlyInAnyOrderElementsOf(axi);
            assertThat(params.get("ap_rst_n").get("POLARITY")).isEqualTo("ACTIVE_LOW");
            assertThat(params.get("s_axi_control").get("PROTOCOL")).isEqualTo("AXI4LITE");
            assertThat(params.get("m_axi_io").get("ADDR_WIDTH")).isEqualTo("64");
            assertThat(params.get("interrupt").get("SENSITIVITY")).isEqualTo("LEVEL_HIGH");
            long clk = Math.round(manifest(d).path("vendor").path("clock_hz").asDouble());
            assertThat(params.get("ap_clk").get("FREQ_HZ")).isEqualTo(Long.toString(clk));
            // files: every source and memory file listed resolves from vivado/
            for (Element fs : children(child(comp, "fileSets"), "fileSet")) {
                for (Element f : children(fs, "file")) {
                    assertThat(d.resolve("vivado").resolve(text(f, "name")).normalize()).as("file of " + text(fs, "name")).exists();
                }
            }
            // the register map: every register word at its offset
            Map<String, String> regs = new HashMap<>();
            Element block = child(child(child(comp, "memoryMaps"), "memoryMap"), "addressBlock");
            for (Element r : children(block, "register")) {
                regs.put(text(r, "name"), text(r, "addressOffset"));
            }
            for (RegisterMap.Register r : RegisterMap.REGISTERS) {
                String n = r.elementName(0) + (r.bits() == 64 ? "_LO" : "");
                assertThat(Long.decode(regs.get(n))).as(n).isEqualTo((long) r.offset());
            }
        }
    }

    @Test
    void kernelXmlAndConnectivityForTheAlveoCard() throws Exception {
        Path d = designs.get("u280");
        Document doc = parse(d.resolve("vitis/kernel.xml"));
        Element kernel = child(doc.getDocumentElement(), "kernel");
        assertThat(kernel.getAttribute("name")).isEqualTo("fornax_kernel");
        assertThat(kernel.getAttribute("hwControlProtocol")).isEqualTo("ap_ctrl_hs");
        assertThat(kernel.getAttribute("interrupt")).isEqualTo("true");
        Map<String, VPort> vp = verilogPorts(d.resolve("rtl/fornax_kernel.v"));
        Set<String> ports = new HashSet<>();
        for (Element p : children(child(kernel, "ports"), "port")) {
            ports.add(p.getAttribute("name"));
            assertThat(vp).as("kernel.xml port " + p.getAttribute("name")).containsKey(p.getAttribute("name")
                    + (p.getAttribute("mode").equals("slave") ? "_awaddr" : "_araddr"));
            if (p.getAttribute("mode").equals("master")) {
                assertThat(Integer.parseInt(p.getAttribute("dataWidth")))
                        .isEqualTo(vp.get(p.getAttribute("name") + "_rdata").width());
            }
        }
        assertThat(ports).containsExactlyInAnyOrder("s_axi_control", "m_axi_io", "m_axi_w0");
        List<RegisterMap.KernelArg> want = RegisterMap.kernelArgs(1, false);
        List<Element> args = children(child(kernel, "args"), "arg");
        assertThat(args).hasSize(want.size());
        for (int i = 0; i < args.size(); i++) {
            Element a = args.get(i);
            assertThat(a.getAttribute("name")).isEqualTo(want.get(i).name());
            assertThat(Long.decode(a.getAttribute("offset"))).isEqualTo((long) want.get(i).offset());
            assertThat(a.getAttribute("id")).isEqualTo(Integer.toString(i));
            assertThat(ports).contains(a.getAttribute("port"));
        }
        String cfg = Files.readString(d.resolve("vitis/connectivity.cfg"));
        assertThat(cfg).contains("nk=fornax_kernel:1:fornax_kernel_1", "sp=fornax_kernel_1.m_axi_w0:HBM[0]",
                "sp=fornax_kernel_1.m_axi_io:HBM[31]", "freqHz=300000000:fornax_kernel_1.ap_clk");
        // the KV260's masters go to the PS HP ports
        JsonNode kv = manifest(designs.get("kv260")).path("vendor").path("placement");
        assertThat(kv.path("m_axi_w0").asText()).isEqualTo("S_AXI_HP0_FPD");
        assertThat(kv.path("m_axi_io").asText()).isEqualTo("S_AXI_HP1_FPD");
    }

    @Test
    void xdcAsksForTheBoardsClock() throws Exception {
        for (Map.Entry<String, Path> e : designs.entrySet()) {
            double hz = manifest(e.getValue()).path("vendor").path("clock_hz").asDouble();
            String xdc = Files.readString(e.getValue().resolve("vivado/fornax_kernel.xdc"));
            Matcher m = Pattern.compile("create_clock -period ([0-9.]+) -name ap_clk \\[get_ports ap_clk\\]").matcher(xdc);
            assertThat(m.find()).as(e.getKey() + " XDC").isTrue();
            assertThat(Double.parseDouble(m.group(1))).isCloseTo(1e9 / hz, org.assertj.core.api.Assertions.within(0.0005));
        }
        assertThat(manifest(designs.get("kv260")).path("vendor").path("clock_hz").asDouble()).isEqualTo(250e6);
    }

    /** Runs a Tcl file in tclsh with every unknown command recorded instead of run. */
    static List<List<String>> tcl(Path script, Path cwd, String... argv) throws Exception {
        Shared.requireTool("tclsh");
        Path stub = tmp.resolve("stub.tcl");
        Files.writeString(stub, """
                set ::fornax_calls {}
                proc unknown {args} {
                    lappend ::fornax_calls $args
                    # a finished run, as Vivado reports it after a successful launch_runs/wait_on_run
                    if {[lindex $args 0] eq "get_property" && [lindex $args 1] eq "PROGRESS"} { return "100%" }
                    return ""
                }
                rename package _fornax_package
                proc package {args} {
                    if {[lindex $args 0] eq "require" && [string match ::quartus::* [lindex $args 1]]} { return 1.0 }
                    uplevel 1 [list _fornax_package {*}$args]
                }
                set script [lindex $argv 0]
                set argv [lrange $argv 1 end]
                set argc [llength $argv]
                source $script
                foreach c $::fornax_calls { puts [list {*}$c] }
                """);
        List<String> cmd = new ArrayList<>(List.of("tclsh", stub.toString(), script.toString()));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tclsh " + script + ":\n" + out).isZero();
        List<List<String>> calls = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                calls.add(tclList(line));
            }
        }
        return calls;
    }

    /** A Tcl list line as words (braces and quotes). */
    static List<String> tclList(String line) {
        List<String> w = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '{') {
                int depth = 1, j = i + 1;
                while (depth > 0) {
                    depth += line.charAt(j) == '{' ? 1 : line.charAt(j) == '}' ? -1 : 0;
                    j++;
                }
                w.add(line.substring(i + 1, j - 1));
                i = j;
            } else {
                int j = line.indexOf(' ', i);
                j = j < 0 ? line.length() : j;
                w.add(line.substring(i, j).replace("\\", ""));
                i = j;
            }
        }
        return w;
    }

    static List<String> commands(List<List<String>> calls) {
        return calls.stream().map(c -> c.get(0)).toList();
    }

    /** The files a script adds, checked to exist. */
    static void filesExist(List<List<String>> calls, String command) {
        for (List<String> c : calls) {
            if (c.get(0).equals(command)) {
                for (String a : c.subList(1, c.size())) {
                    for (String f : a.split(" ")) {
                        if (f.startsWith("/")) {
                            assertThat(Path.of(f)).as(command + " " + f).exists();
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyTclScriptRunsWithTheVendorCommandsStubbed() throws Exception {
        for (Map.Entry<String, Path> e : designs.entrySet()) {
            Path d = e.getValue();
            List<List<String>> project = tcl(d.resolve("vivado/project.tcl"), d);
            assertThat(commands(project)).contains("create_project", "add_files", "set_property", "read_xdc",
                    "update_compile_order", "ipx::open_core", "ipx::save_core");
            assertThat(project).anyMatch(c -> c.equals(List.of("set_property", "top", "fornax_kernel", "")));
            String part = manifest(d).path("vendor").path("part").asText();
            assertThat(project).anyMatch(c -> c.get(0).equals("create_project") && c.contains(part));
            filesExist(project, "add_files");
            filesExist(project, "read_xdc");
            assertThat(commands(tcl(d.resolve("vivado/package_ip.tcl"), d))).contains("ipx::open_core", "ipx::check_integrity",
                    "ipx::save_core");
            assertThat(commands(tcl(d.resolve("quartus/fornax_kernel.tcl"), d))).contains("project_new", "set_global_assignment",
                    "set_parameter", "project_close");
            // the IP's customization page: its procs as Vivado calls them (ipgui/get/set_property stubbed)
            Path gui = tmp.resolve("xgui-" + e.getKey() + ".tcl");
            Files.writeString(gui, "source {" + d.resolve("vivado/xgui/fornax_kernel_v1_0.tcl") + "}\n"
                    + "init_gui ip\nupdate_PARAM_VALUE.MEM_DIR p\n"
                    + "if {![validate_PARAM_VALUE.MEM_DIR p]} { error invalid }\n"
                    + "update_MODELPARAM_VALUE.MEM_DIR m p\n");
            assertThat(commands(tcl(gui, d))).contains("ipgui::add_param", "ipgui::add_page", "set_property");
            if (Files.exists(d.resolve("vivado/bd.tcl"))) {
                List<String> bd = commands(tcl(d.resolve("vivado/bd.tcl"), d));
                assertThat(bd).contains("create_bd_design", "create_bd_cell", "connect_bd_net", "assign_bd_address",
                        "validate_bd_design", "make_wrapper");
                assertThat(commands(tcl(d.resolve("vivado/build.tcl"), d))).contains("launch_runs", "write_bitstream",
                        "write_hw_platform");
            }
        }
        Path kv = designs.get("kv260");
        List<String> bd = commands(tcl(kv.resolve("vivado/bd.tcl"), kv));
        assertThat(bd).contains("apply_bd_automation");
        // the KV260's build also writes the .bif bootgen turns into fornax.bit.bin (fpgautil's format):
        // the bitstream build.tcl writes, under the zynqmp boot-image syntax "all: { FILE }"
        List<List<String>> build = tcl(kv.resolve("vivado/build.tcl"), kv);
        String bitstream = build.stream().filter(c -> c.get(0).equals("write_bitstream")).findFirst().orElseThrow()
                .get(2);
        String bif = Files.readString(kv.resolve("vivado_project/fornax.bif"));
        assertThat(bif.replaceAll("\\s+", " ").trim()).isEqualTo("all: { " + bitstream + " }");
        assertThat(Path.of(bitstream).normalize()).isEqualTo(kv.resolve("fornax.bit"));
        Path u = designs.get("u280");
        List<List<String>> xo = tcl(u.resolve("vitis/package_xo.tcl"), u);
        assertThat(commands(xo)).contains("package_xo", "ipx::save_core");
        // package_xo names the files of vitis/ (project.tcl, sourced first, must not move them to vivado/)
        List<String> pk = xo.stream().filter(c -> c.get(0).equals("package_xo")).findFirst().orElseThrow();
        assertThat(Path.of(pk.get(pk.indexOf("-kernel_xml") + 1)).normalize()).isEqualTo(u.resolve("vitis/kernel.xml"));
        assertThat(Path.of(pk.get(pk.indexOf("-xo_path") + 1)).normalize()).isEqualTo(u.resolve("vitis/fornax_kernel.xo"));
        assertThat(Path.of(pk.get(pk.indexOf("-ip_directory") + 1)).normalize()).isEqualTo(u.resolve("vivado"));
        assertThat(Path.of(pk.get(pk.indexOf("-ip_directory") + 1)).resolve("component.xml")).exists();
    }

    @Test
    void aMovedDesignDirectoryStillBuilds() throws Exception {
        Path moved = tmp.resolve("elsewhere").resolve("kv260-moved");
        Files.createDirectories(moved.getParent());
        Files.move(designs.get("kv260"), moved);
        try {
            List<List<String>> project = tcl(moved.resolve("vivado/project.tcl"), tmp);
            filesExist(project, "add_files");
            assertThat(project).anyMatch(c -> c.get(0).equals("set_property") && c.get(1).equals("generic")
                    && c.get(2).contains(moved.resolve("mem").toString()));
            String fuse = Files.readString(moved.resolve("fornax.core"));
            for (String line : fuse.split("\n")) {
                Matcher m = Pattern.compile("^      - ([^:]+)").matcher(line);
                if (m.find()) {
                    assertThat(moved.resolve(m.group(1).trim())).as("fornax.core file").exists();
                }
            }
            assertThat(fuse).startsWith("CAPI=2:").contains("  sim:", "  icarus:", "  synth:", "default_tool: verilator",
                    "default_tool: icarus", "default_tool: vivado");
        } finally {
            Files.move(moved, designs.get("kv260"));
        }
    }

    @Test
    void coeAndMifHoldTheMemFilesWords() throws Exception {
        Path d = designs.get("arty-a7-100t");
        JsonNode files = manifest(d).path("vendor").path("files");
        int roms = 0;
        for (String mem : List.of("weights", "consts", "program", "gain", "cos")) {
            List<String> want = Files.readAllLines(d.resolve("mem/" + mem + ".mem")).stream().filter(l -> !l.isBlank()).toList();
            String coe = Files.readString(d.resolve("vivado/coe/" + mem + ".coe"));
            String vec = coe.substring(coe.indexOf("memory_initialization_vector=") + 29).trim();
            List<String> got = List.of(vec.substring(0, vec.length() - 1).split(",\n"));
            assertThat(got).as(mem + ".coe").containsExactlyElementsOf(want);
            List<String> mif = new ArrayList<>();
            for (String line : Files.readAllLines(d.resolve("quartus/mif/" + mem + ".mif"))) {
                Matcher m = Pattern.compile("^\\s+(\\d+) : ([0-9a-f]+);$").matcher(line);
                if (m.find()) {
                    assertThat(Integer.parseInt(m.group(1))).isEqualTo(mif.size());
                    mif.add(m.group(2));
                }
            }
            assertThat(mif).as(mem + ".mif").containsExactlyElementsOf(want);
            roms++;
        }
        assertThat(roms).isEqualTo(5);
        assertThat(files.toString()).contains("vivado/coe/weights.coe", "quartus/mif/weights.mif");
    }

    @Test
    void driverCompilesWarningFree() throws Exception {
        Shared.requireTool("gcc");
        // a dram design (one weight port) and a rom one (no weight port: the hosts' image loops vanish)
        for (String board : List.of("kv260", "arty-a7-100t")) {
            Path drv = designs.get(board).resolve("driver");
            for (String c : dev.fornax.kernel.DriverWriter.C_FILES) {
                run(drv, "gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", c, "-o", "/dev/null");
            }
            run(drv, "g++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-x", "c++", "-c", "fornax_driver.c", "-o", "/dev/null");
            run(drv, "make", "-s");
            assertThat(drv.resolve("fornax_host")).isExecutable();
            run(drv, "make", "-s", "clean");
        }
        // the XRT shim and host against stand-ins of the XRT headers (the calls as documented in XRT's
        // xrt_kernel.h / xrt_bo.h / xrt_device.h; XRT itself is not installed here)
        Path inc = tmp.resolve("xrt-stub").resolve("xrt");
        Files.createDirectories(inc);
        Files.writeString(inc.resolve("xrt_device.h"), """
                #pragma once
                #include <string>
                namespace xrt {
                struct uuid {};
                struct device { explicit device(unsigned) {} uuid load_xclbin(const std::string&) { return {}; } };
                }
                """);
        Files.writeString(inc.resolve("xrt_bo.h"), """
                #pragma once
                #include <cstddef>
                #include <cstdint>
                #include "xrt_device.h"
                enum xclBOSyncDirection { XCL_BO_SYNC_BO_TO_DEVICE, XCL_BO_SYNC_BO_FROM_DEVICE };
                namespace xrt {
                struct bo {
                    enum class flags { normal };
                    using memory_group = int;
                    bo(const device&, size_t, flags, memory_group) {}
                    uint64_t address() const { return 0; }
                    size_t size() const { return 0; }
                    void write(const void*, size_t, size_t) {}
                    void read(void*, size_t, size_t) {}
                    void sync(xclBOSyncDirection, size_t, size_t) {}
                };
                }
                """);
        Files.writeString(inc.resolve("xrt_kernel.h"), """
                #pragma once
                #include <cstdint>
                #include <string>
                #include "xrt_bo.h"
                namespace xrt {
                struct kernel {
                    enum class cu_access_mode { exclusive, shared };
                    kernel(const device&, const uuid&, const std::string&, cu_access_mode) {}
                    int group_id(int) const { return 0; }
                    uint32_t read_register(uint32_t) const { return 0; }
                    void write_register(uint32_t, uint32_t) {}
                };
                }
                """);
        for (String board : List.of("kv260", "arty-a7-100t")) {
            for (String f : List.of("fornax_shim_xrt.cpp", "fornax_host_xrt.cpp")) {
                run(designs.get(board).resolve("driver"), "g++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                        "-I" + inc.getParent(), f);
            }
        }
    }

    /** boards --fit: the analytic fit from the manifest, and a synthesis's resources against the part. */
    @Test
    void boardsFitReadsTheSynthesis() throws Exception {
        Path d = designs.get("kv260");
        Files.writeString(d.resolve("synth.json"), "{\"family\":\"xcup\",\"resources\":{\"lut\":100000,\"ff\":9000,"
                + "\"dsp\":49,\"block_ram_18_equivalent\":178,\"uram\":0},\"estimated_period_ns\":4.5}");
        try {
            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int rc;
            try {
                rc = Main.run("boards", "--fit", d.toString(), "--json");
            } finally {
                System.setOut(old);
            }
            assertThat(rc).isZero();
            JsonNode f = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(f.path("analytic").path("fits").asBoolean()).isTrue();
            JsonNode s = f.path("synthesis");
            assertThat(s.path("luts").asLong()).isEqualTo(100_000 + BoardPlan.KERNEL_LUTS);
            assertThat(s.path("block_rams").asDouble()).isEqualTo(89.0);
            // 102,613 LUTs fit the K26's 117,120; 4.5 ns misses the 250 MHz clock's 4 ns
            assertThat(s.path("fits_resources").asBoolean()).isTrue();
            assertThat(s.path("meets_clock_estimate").asBoolean()).isFalse();
        } finally {
            Files.delete(d.resolve("synth.json"));
        }
    }

    @Test
    void unknownBoardNamesTheBoards() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run("compile", STORIES.toString(), "-o", tmp.resolve("nope").toString(), "--board", "vcu118");
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("fornax: unknown board 'vcu118'")
                .contains("kv260", "u280", "u55c", "icebreaker");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }

    static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
    }
}
