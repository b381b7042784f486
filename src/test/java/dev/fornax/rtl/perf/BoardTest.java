package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fornax.FornaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoardTest {

    @Test
    void theIssueBoardsAreThere() {
        assertThat(Board.PRESETS).extracting(Board::id).contains("arty-a7-100t", "kv260", "zcu104", "u250", "u280",
                "u55c");
        assertThat(Board.PRESETS).extracting(Board::flow).contains(Board.Flow.ICE40, Board.Flow.ECP5);
        assertThat(Board.PRESETS).containsAll(Board.ASSUMED);
        Set<String> ids = new HashSet<>();
        for (Board b : Board.PRESETS) {
            assertThat(ids.add(b.id())).as("unique id " + b.id()).isTrue();
            assertThat(b.id()).matches("[a-z0-9-]+");
        }
    }

    /** The data-sheet totals must be what the banks multiply to: count × size, count × bandwidth. */
    @Test
    void totalsAreTheSumOfTheBanks() {
        for (Board b : Board.PRESETS) {
            long bytes = 0;
            double rate = 0;
            for (Board.Bank k : b.banks()) {
                bytes += k.count() * k.bytes();
                rate += k.count() * k.bytesPerSec();
                // width × clock × transfers agrees with the quoted peak (HBM: 14.4 vs AMD's 14.375 GB/s)
                assertThat(k.derivedBytesPerSec()).as(b.id() + " " + k.kind()).isCloseTo(k.bytesPerSec(),
                        within(0.002 * k.bytesPerSec()));
            }
            assertThat(bytes).as(b.id() + " capacity").isEqualTo(b.dramBytes());
            assertThat(rate).as(b.id() + " bandwidth").isCloseTo(b.dramBytesPerSec(), within(1e3));
            for (Board.Port p : b.ports()) {
                assertThat(b.banks()).extracting(Board.Bank::kind).as(b.id() + " port target").contains(p.bankKind());
            }
        }
    }

    @Test
    void issueFiguresForTheHbmAndDdrCards() {
        Board.Bank hbm = Board.ALVEO_U280.banks().get(0);
        assertThat(hbm.count()).isEqualTo(32);
        assertThat(hbm.widthBits()).isEqualTo(256);
        assertThat(hbm.clockHz()).isEqualTo(450e6);
        assertThat(Board.ALVEO_U55C.banks().get(0).bytes()).isEqualTo(512L << 20);
        assertThat(Board.ALVEO_U250.banks().get(0).count()).isEqualTo(4);
        assertThat(Board.ALVEO_U280.portCount()).isEqualTo(32);
        assertThat(Board.KV260.ports().get(0).name(3)).isEqualTo("S_AXI_HP3_FPD");
        assertThat(Board.KV260.ports().get(0).widthBits()).isEqualTo(128);
        assertThat(Board.ALVEO_U280.ports().get(0).name(7)).isEqualTo("HBM[7]");
        assertThat(Board.ICEBREAKER.fabricReachesDram()).isFalse();
    }

    @Test
    void lookupIsCaseInsensitiveAndUnknownNamesListTheBoards() {
        assertThat(Board.byId("KV260")).isSameAs(Board.KV260);
        assertThatThrownBy(() -> Board.byId("zcu102")).isInstanceOf(FornaxException.class)
                .hasMessageContaining("unknown board 'zcu102'").hasMessageContaining("kv260, zcu104, u250, u280");
    }

    @Test
    void jsonIsKeySorted() {
        Map<String, Object> j = Board.ALVEO_U280.toJson();
        assertThat(List.copyOf(j.keySet())).isSorted();
        assertThat(j).containsEntry("part", "xcu280-fsvh2892-2L-e").containsEntry("flow", "alveo");
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) j.get("resources");
        assertThat(r).containsEntry("dsps", 9_024L).containsEntry("uram_blocks", 960L);
    }
}
