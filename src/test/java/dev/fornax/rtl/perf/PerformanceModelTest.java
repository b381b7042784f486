package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fornax.FornaxException;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.rtl.perf.PerformanceModel.BoardEstimate;
import dev.fornax.rtl.perf.PerformanceModel.Limit;
import dev.fornax.rtl.perf.PerformanceModel.Placement;
import dev.fornax.testing.Shared;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every expected figure below is counted by hand from the model dimensions; the arithmetic is in the comments. */
class PerformanceModelTest {
    private static PerformanceModel model(ModelSpec s, int lanes, Placement weights, Placement kv, int ctx, int pos,
            int axi, double cycles) {
        return new PerformanceModel(s, lanes, weights, kv, ctx, pos, axi, cycles, "predicted");
    }

    /**
     * stories260K: rows per layer q 64 + k 32 + v 32 + o 64 + gate 172 + up 172 + down 64 = 600, × 5
     * = 3000, + lm_head 512 = 3512 constant words of 8 bytes = 28,096; weights 259,328 bytes (one
     * per MAC of the matrices); the embedding row 64 + 8. Total 287,496.
     */
    @Test
    void stories260kBytes() {
        ModelSpec s = TestSpecs.stories260k();
        PerformanceModel m16 = model(s, 16, Placement.DRAM, Placement.ON_CHIP, 512, 0, 128, 16_248);
        assertThat(m16.weightBytesPerToken()).isEqualTo(287_496L);
        // lanes 16: only down_proj's 172 columns pad, to 176: 4 bytes × 64 rows × 5 layers = 1,280
        assertThat(m16.fetchedWeightBytesPerToken()).isEqualTo(288_776L);
        // lanes 64: 172 → 192, 20 × 320 = 6,400
        assertThat(m16.withLanes(64).fetchedWeightBytesPerToken()).isEqualTo(293_896L);
        // lanes 128: every 64-column row pads by 64 (536 rows/layer × 5 + lm_head 512 + the embedding row
        // = 3193 rows → 204,352) and down_proj 172 → 256 (84 × 320 = 26,880)
        assertThat(m16.withLanes(128).fetchedWeightBytesPerToken()).isEqualTo(287_496L + 204_352 + 26_880);
        // KV: K and V of 4 kv heads × 5 layers, each 8 int16 mantissas + a 2-byte exponent = 18 bytes
        // → 2·5·4·18 = 720 bytes per position; position 0 writes one and reads one
        assertThat(m16.kvBytesPerPosition()).isEqualTo(720L);
        assertThat(m16.kvBytesPerToken()).isEqualTo(1_440L);
        assertThat(m16.kvCacheBytes()).isEqualTo(368_640L); // 720 × 512
        // DRAM image at lanes 16: layers 5 × (4096 + 4096 + 4096 + 22,016 + 64·176) = 227,840, the embedding
        // table 32,768 (the tied lm_head shares it), (3512 + 512) constant words × 8 = 32,192
        assertThat(m16.dramResidentBytes()).isEqualTo(292_800L);
        assertThat(m16.dramBytesPerToken()).isEqualTo(288_776L);
    }

    /**
     * Qwen2-0.5B: rows per layer 896 + 128 + 128 + 896 + 4864 + 4864 + 896 = 12,672, × 24 = 304,128,
     * + lm_head 151,936 = 456,064 words × 8 = 3,648,512; weights 493,961,216; embedding row 896 + 8.
     */
    @Test
    void qwen2Bytes() {
        ModelSpec s = TestSpecs.qwen2_0_5b();
        PerformanceModel m = model(s, 64, Placement.DRAM, Placement.ON_CHIP, 1024, 4, 512, 7_718_816);
        assertThat(m.weightBytesPerToken()).isEqualTo(497_610_632L);
        // 896 and 4864 are multiples of 64: nothing pads
        assertThat(m.fetchedWeightBytesPerToken()).isEqualTo(497_610_632L);
        // lanes 1024: 896 → 1024 on 11,776 rows/layer × 24 + lm_head 151,936 + the embedding row
        // = 434,561 rows × 128 = 55,623,808; down 4864 → 5120 on 896 × 24 rows × 256 = 5,505,024
        assertThat(m.withLanes(1024).fetchedWeightBytesPerToken()).isEqualTo(497_610_632L + 55_623_808 + 5_505_024);
        // KV: 2 · 24 layers · 2 kv heads · (64 · 2 + 2) = 12,480 per position; position 4 reads 5, writes 1
        assertThat(m.kvBytesPerPosition()).isEqualTo(12_480L);
        assertThat(m.kvBytesPerToken()).isEqualTo(74_880L);
        assertThat(m.kvCacheBytes()).isEqualTo(12_779_520L);
        // DRAM image: layers 357,826,560 + table 136,134,656 + (456,064 + 151,936) words × 8 = 4,864,000
        assertThat(m.dramResidentBytes()).isEqualTo(498_825_216L);
        // The KV cache on chip costs no DRAM traffic; in DRAM it adds its traffic and its size
        assertThat(m.dramBytesPerToken()).isEqualTo(497_610_632L);
        PerformanceModel kvDram = model(s, 64, Placement.DRAM, Placement.DRAM, 1024, 4, 512, 7_718_816);
        assertThat(kvDram.dramBytesPerToken()).isEqualTo(497_610_632L + 74_880);
        assertThat(kvDram.dramResidentBytes()).isEqualTo(498_825_216L + 12_779_520);
    }

    /** Unpadded bytes against the real tensors: Σ (rows·cols + 8·rows) + one embedding row and its word. */
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/hf/llama", "fixtures/hf/qwen2", "fixtures/hf/phi3", "fixtures/hf/gemma"})
    void weightBytesEqualTheTensorShapes(String fixture) {
        try (ModelWeights w = ModelLoader.loadWeights(Shared.require(fixture))) {
            long sum = 0;
            for (Matrix x : MacsTest.matricesOf(w)) {
                sum += (long) x.rows() * x.cols() + 8L * x.rows();
            }
            sum += w.embedding().cols() + 8;
            PerformanceModel m = model(w.spec(), 1, Placement.DRAM, Placement.ON_CHIP, 8, 0, 64, 100);
            assertThat(m.weightBytesPerToken()).isEqualTo(sum);
            assertThat(m.fetchedWeightBytesPerToken()).isEqualTo(sum); // one lane: nothing pads
        }
    }

    /**
     * qwen2-0.5b, dram, lanes 64, AXI 512 bits, cycles = the ideal 7,718,816 at position 0.
     * KV260 at 250 MHz: compute 250e6 / 7,718,816 = 32.39 tok/s; the AXI port carries 64 bytes × 250 MHz
     * = 16 GB/s < 19.2 GB/s DDR4, so 16e9 / 497,610,632 = 32.15 tok/s bounds it.
     */
    @Test
    void qwen2OnTheBoards() {
        PerformanceModel m = model(TestSpecs.qwen2_0_5b(), 64, Placement.DRAM, Placement.ON_CHIP, 1024, 0, 512,
                7_718_816);
        BoardEstimate kv260 = m.estimate(Board.KV260);
        assertThat(kv260.computeBound()).isCloseTo(250e6 / 7_718_816, within(1e-9));
        // the 512-bit port at 250 MHz (16 GB/s) reaches the PS DDR through one 128-bit HP port at 333 MHz
        assertThat(kv260.axiPortBytesPerSec()).isCloseTo(16 * 333e6, within(1.0));
        assertThat(kv260.bandwidthBound()).isCloseTo(16 * 333e6 / 497_610_632, within(1e-9));
        assertThat(kv260.tokensPerSec()).isCloseTo(10.707, within(1e-3));
        assertThat(kv260.limit()).isEqualTo(Limit.AXI_PORT);
        assertThat(kv260.fits()).isTrue();

        // Arty: 100 MHz × 64 bytes = 6.4 GB/s port, but the MIG's 128-bit AXI slave at 83.33 MHz carries
        // 1.333 GB/s (DDR3L 667 MT/s × 2 bytes = 1.334 GB/s); 498.8 MB > 256 MiB
        BoardEstimate arty = m.estimate(Board.ARTY_A7_100T);
        assertThat(arty.bandwidthBound()).isCloseTo(16 * 83.33e6 / 497_610_632, within(1e-9));
        assertThat(arty.tokensPerSec()).isCloseTo(2.679, within(1e-3));
        assertThat(arty.limit()).isEqualTo(Limit.AXI_PORT);
        assertThat(arty.fits()).isFalse();

        // U280: 460 GB/s of HBM would allow 924 tok/s; one port reaches one HBM pseudo-channel port
        // (256 bits at 450 MHz = 14.4 GB/s) -> 28.94
        BoardEstimate u280 = m.estimate(Board.ALVEO_U280);
        assertThat(460e9 / 497_610_632).isCloseTo(924.4, within(0.1));
        assertThat(u280.bandwidthBound()).isCloseTo(14.4e9 / 497_610_632, within(1e-9));
        assertThat(u280.computeBound()).isCloseTo(300e6 / 7_718_816, within(1e-9)); // 38.87
        assertThat(u280.limit()).isEqualTo(Limit.AXI_PORT);

        // 1024 lanes and the widest AXI4 port (1024 bits, 38.4 GB/s at 300 MHz): compute 300e6 /
        // (493,004,224/1024) = 623 tok/s; still one pseudo-channel port: 14.4 GB/s / 558,739,464 padded bytes
        PerformanceModel wide = new PerformanceModel(m.spec(), 1024, Placement.DRAM, Placement.ON_CHIP, 1024, 0, 1024,
                Macs.idealCycles(m.spec(), 0, 1024), "ideal");
        BoardEstimate u280wide = wide.estimate(Board.ALVEO_U280);
        assertThat(u280wide.computeBound()).isCloseTo(300e6 * 1024 / 494_004_224, within(1e-9));
        assertThat(u280wide.tokensPerSec()).isCloseTo(14.4e9 / 558_739_464, within(1e-9));
        assertThat(u280wide.limit()).isEqualTo(Limit.AXI_PORT);
    }

    /** stories260K in ROM fetches nothing: only compute bounds it; in DRAM the 128-bit port does. */
    @Test
    void stories260kOnTheBoards() {
        ModelSpec s = TestSpecs.stories260k();
        PerformanceModel rom = model(s, 16, Placement.ON_CHIP, Placement.ON_CHIP, 512, 0, 0, 16_248);
        BoardEstimate arty = rom.estimate(Board.ARTY_A7_100T);
        assertThat(arty.computeBound()).isCloseTo(100e6 / 16_248, within(1e-9)); // 6,154.6
        assertThat(arty.bandwidthBound()).isInfinite();
        assertThat(arty.tokensPerSec()).isEqualTo(arty.computeBound());
        assertThat(arty.limit()).isEqualTo(Limit.COMPUTE);
        assertThat(arty.fits()).isNull();

        // dram, AXI 128 bits at 250 MHz = 4 GB/s: 4e9 / 288,776 = 13,851.6 < compute 250e6 / 16,248 = 15,386.5
        PerformanceModel dram = model(s, 16, Placement.DRAM, Placement.ON_CHIP, 512, 0, 128, 16_248);
        BoardEstimate kv260 = dram.estimate(Board.KV260);
        assertThat(kv260.tokensPerSec()).isCloseTo(4e9 / 288_776, within(1e-9));
        assertThat(kv260.limit()).isEqualTo(Limit.AXI_PORT);
    }

    /**
     * One AXI beat per cycle: ⌈fetched bytes / (W/8)⌉. qwen2-0.5b: 497,610,632 / 64 → 7,775,167 at
     * lanes 64 (512 bits); lanes 256 pad the 896-wide rows to 1024 (4864 = 19·256 does not pad):
     * 497,610,632 + 55,623,808 = 553,234,440 / 128 → 4,322,145; lanes 1024: 558,739,464 / 128 →
     * 4,365,153. (The Verilator runs recorded in bench/RESULTS.md delivered exactly these beat counts.)
     */
    @Test
    void axiBoundCycles() {
        ModelSpec s = TestSpecs.qwen2_0_5b();
        PerformanceModel l64 = model(s, 64, Placement.DRAM, Placement.ON_CHIP, 1024, 0, 512, 1);
        assertThat(l64.axiBoundCyclesPerToken()).isEqualTo(7_775_167.0);
        assertThat(l64.boundCyclesPerToken()).isEqualTo(7_775_167.0); // > ideal 7,718,816
        PerformanceModel l256 = model(s, 256, Placement.DRAM, Placement.ON_CHIP, 1024, 0, 1024, 1);
        assertThat(l256.fetchedWeightBytesPerToken()).isEqualTo(553_234_440L);
        assertThat(l256.axiBoundCyclesPerToken()).isEqualTo(4_322_145.0);
        assertThat(l256.withLanes(1024).axiBoundCyclesPerToken()).isEqualTo(4_365_153.0);
        // rom: nothing crosses the port, the ideal is the bound
        PerformanceModel rom = model(s, 64, Placement.ON_CHIP, Placement.ON_CHIP, 1024, 0, 0, 1);
        assertThat(rom.axiBoundCyclesPerToken()).isZero();
        assertThat(rom.boundCyclesPerToken()).isEqualTo(7_718_816.0);
    }

    @Test
    void slowCyclesMakeItComputeBound() {
        PerformanceModel m = model(TestSpecs.qwen2_0_5b(), 64, Placement.DRAM, Placement.ON_CHIP, 1024, 0, 512,
                2 * 7_718_816.0);
        BoardEstimate u250 = m.estimate(Board.ALVEO_U250);
        assertThat(u250.limit()).isEqualTo(Limit.COMPUTE);
        assertThat(u250.tokensPerSec()).isCloseTo(300e6 / (2 * 7_718_816.0), within(1e-9));
        assertThat(m.withCycles(7_718_816, "simulated").cyclesSource()).isEqualTo("simulated");
    }

    @Test
    void boardBandwidthsFollowFromWidthAndRate() {
        assertThat(Board.KV260.dramBytesPerSec()).isEqualTo(19.2e9); // 64 bits × 2400 MT/s
        assertThat(Board.ALVEO_U250.dramBytesPerSec()).isEqualTo(76.8e9); // 4 × 19.2; UG1393 rounds to 77
        assertThat(Board.ALVEO_U280.dramBytesPerSec()).isCloseTo(32 * 14.375e9, within(1e3));
        assertThat(Board.ASSUMED).extracting(Board::name)
                .containsExactly("Arty A7-100T", "KV260", "Alveo U250", "Alveo U280");
    }

    @Test
    void jsonForTheManifest() {
        PerformanceModel rom = PerformanceModel.predicted(TestSpecs.stories260k(), 16, "rom", 512, 0, 0, 16_248);
        Map<String, Object> j = rom.toJson(Board.ASSUMED);
        assertThat(j).containsEntry("macs_per_token", 259_968L).containsEntry("weights", "on_chip")
                .containsEntry("dram_bytes_per_token", 0L).containsEntry("cycles_source", "predicted");
        assertThat(List.copyOf(j.keySet())).isSorted();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> boards = (List<Map<String, Object>>) j.get("boards");
        assertThat(boards).hasSize(4);
        assertThat(boards.get(0)).containsEntry("board", "Arty A7-100T").containsEntry("bandwidth_bound_tokens_per_s", null)
                .containsEntry("limited_by", "compute").containsEntry("fits_dram", null);
        assertThat(List.copyOf(boards.get(0).keySet())).isSorted();
    }

    @Test
    void badInputsAreRefusedByName() {
        ModelSpec s = TestSpecs.qwen2_0_5b();
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 64, "flash", 1024, 0, 512, 1))
                .isInstanceOf(FornaxException.class).hasMessageContaining("--weights");
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 48, "dram", 1024, 0, 512, 1))
                .isInstanceOf(FornaxException.class).hasMessageContaining("lanes");
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 64, "dram", 1024, 1024, 512, 1))
                .isInstanceOf(FornaxException.class).hasMessageContaining("position 1024");
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 64, "dram", 1024, 0, 0, 1))
                .isInstanceOf(FornaxException.class).hasMessageContaining("AXI data width");
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 64, "dram", 1024, 0, 2048, 1))
                .isInstanceOf(FornaxException.class).hasMessageContaining("AXI data width");
        assertThatThrownBy(() -> PerformanceModel.predicted(s, 64, "dram", 1024, 0, 512, Double.NaN))
                .isInstanceOf(FornaxException.class).hasMessageContaining("cycles");
        // ROM designs need no AXI port
        assertThat(PerformanceModel.predicted(s, 64, "rom", 1024, 0, 0, 1).dramBytesPerToken()).isZero();
    }
}
