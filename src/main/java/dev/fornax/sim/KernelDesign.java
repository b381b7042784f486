package dev.fornax.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel of a compiled design, as manifest.json's {@code kernel} object describes it
 * (docs/HARDWARE.md, "Kernel"): what the kernel harness needs to build and run it.
 *
 * @param top         the kernel module (fornax_kernel)
 * @param rtl         its sources in compile order (the core's included), relative to the design
 * @param includeDirs include directories
 * @param vocab       logits per position
 * @param context     KV cache positions
 * @param weightPorts AXI weight read ports
 * @param weightWidth their data width in bits
 * @param designId    the DESIGN_ID register's value
 * @param images      the weight image of each port, relative to the design
 * @param driver      the driver's C sources the harness links (driver/fornax_driver.c)
 * @param maxBurst    the longest read burst the weight ports issue, beats (0: the AXI4 limit, 256)
 */
public record KernelDesign(String top, List<String> rtl, List<String> includeDirs, int vocab, int context,
        int weightPorts, int weightWidth, long designId, List<String> images, List<String> driver, int maxBurst) {

    public KernelDesign {
        rtl = List.copyOf(rtl);
        includeDirs = List.copyOf(includeDirs);
        images = List.copyOf(images);
        driver = List.copyOf(driver);
    }

    /** The kernel of a design whose manifest has been read; a user error when it has none. */
    public static KernelDesign read(DesignManifest m) {
        JsonNode k = m.json().get("kernel");
        Path file = m.dir().resolve("manifest.json");
        if (k == null || !k.isObject()) {
            throw new FornaxException(file + " describes no kernel (a design compiled before the kernel wrapper);"
                    + " recompile it with fornax compile");
        }
        List<String> rtl = strings(k, "rtl", file);
        List<String> inc = strings(k, "include_dirs", file);
        List<String> images = new ArrayList<>();
        int ports = k.path("weight_ports").asInt(-1);
        if (ports < 0 || ports > 32) {
            throw new FornaxException(file + ": kernel.weight_ports must be 0..32");
        }
        if (k.has("images")) {
            images = strings(k, "images", file);
        } else if (ports == 1 && m.design().dramImage() != null) {
            images.add(m.design().dramImage());
        }
        if (images.size() != ports) {
            throw new FornaxException(file + ": kernel.images lists " + images.size() + " images for " + ports
                    + " weight ports");
        }
        String id = k.path("design_id").asText("0x0");
        long designId;
        try {
            designId = Long.parseLong(id.startsWith("0x") ? id.substring(2) : id, 16);
        } catch (NumberFormatException e) {
            throw new FornaxException(file + ": kernel.design_id '" + id + "' is not hexadecimal");
        }
        return new KernelDesign(k.path("top").asText("fornax_kernel"), rtl, inc, m.design().vocab(),
                m.design().context(), ports, k.path("weight_data_width").asInt(0), designId, images,
                List.of("driver/fornax_driver.c"), m.design().axiMaxBurst());
    }

    private static List<String> strings(JsonNode k, String key, Path file) {
        JsonNode n = k.get(key);
        if (n == null || !n.isArray()) {
            throw new FornaxException(file + ": kernel." + key + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new FornaxException(file + ": kernel." + key + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
