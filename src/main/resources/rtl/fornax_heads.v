// Per-head BFP14 and rotate-half RoPE (IntOps.headBfp, IntOps.rope) of a q, k or v vector held as
// Q16 values in the scratch memory. Head hh's shift s = max(0, bitlen(max|v|) - 14) comes from the
// maximum the matrix engine tracked while writing that head; mantissas are clampSym(rshr(v, s), 14)
// and the head exponent is s - 16. With rope_en, pairs (i, i + HD/2) are rotated:
//   r_i = rshr(a*C - b*S, 14), r_{i+HD/2} = rshr(b*C + a*S, 14), C/S the Q14 table of this position.
// One pair per cycle; results leave as (head, pair index, a', b').
module fornax_heads #(
    parameter integer HD = 8,
    parameter integer HAW = 4,          // head index bits
    parameter integer SAW = 8,          // scratch address bits
    parameter integer CTX = 64,
    parameter integer RAW = 9,          // rope table address bits
    parameter COS_FILE = "cos.mem",
    parameter SIN_FILE = "sin.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [HAW-1:0] nheads,
    input wire [SAW-1:0] sbase,
    input wire rope_en,
    input wire [RAW-1:0] rbase,         // pos * HD/2
    output reg done,
    // per-head maximum bit counts (combinational read)
    output wire [HAW-1:0] hm_raddr,
    input wire [6:0] hm_rdata,
    // two scratch read ports (1-cycle latency)
    output wire [SAW-1:0] sa_raddr,
    input wire signed [31:0] sa_rdata,
    output wire [SAW-1:0] sb_raddr,
    input wire signed [31:0] sb_rdata,
    // results
    output reg o_we,
    output reg [HAW-1:0] o_head,
    output reg [7:0] o_i,
    output reg signed [15:0] o_a,
    output reg signed [15:0] o_b,
    output reg e_we,
    output reg [HAW-1:0] e_head,
    output reg signed [11:0] e_val
);
`include "fornax_fn.vh"

    localparam integer HALF = HD / 2;
    localparam integer LAST_INT = HALF - 1;
    localparam [7:0] LAST_I = LAST_INT[7:0];
    localparam integer TAB = CTX * HALF;

    reg run;
    reg [HAW-1:0] hh, nheads_q;
    reg [7:0] pi;
    reg [SAW-1:0] hbase;
    reg rope_q;
    reg [RAW-1:0] rbase_q;

    assign hm_raddr = hh;
    assign sa_raddr = hbase + {{(SAW-8){1'b0}}, pi};
    assign sb_raddr = hbase + {{(SAW-8){1'b0}}, pi} + HALF[SAW-1:0];
    wire [RAW-1:0] raddr = rbase_q + {{(RAW-8){1'b0}}, pi};
    wire [15:0] cos_v, sin_v;
    fornax_rom #(.WIDTH(16), .DEPTH(TAB), .AW(RAW), .FILE(COS_FILE), .OREG(1)) cos_rom (
        .clk(clk), .addr(raddr), .data(cos_v));
    fornax_rom #(.WIDTH(16), .DEPTH(TAB), .AW(RAW), .FILE(SIN_FILE), .OREG(1)) sin_rom (
        .clk(clk), .addr(raddr), .data(sin_v));
    wire [6:0] s_now = fn_bfp_shift(hm_rdata, 7'd14);

    // pair pipeline (stage: work; a pair read in cycle k is in stage n in cycle k + n):
    //   1 scratch words arrive, registered  2 z = 2w >>> s; cos/sin arrive (ROM output registers)
    //   3 m = clampSym((z + 1) >>> 1, 14)  4, 5 the four products (DSP M, P)
    //   6 d = ac - bs, bc + as  7 rshr(d, 14)  8 results out
    localparam integer PL = 8;
    reg [PL-1:1] v_sr, l_sr;
    reg [HAW-1:0] h_sr [1:PL-1];
    reg [7:0] i_sr [1:PL-1];
    integer k;
    always @(posedge clk) begin
        v_sr <= {v_sr[PL-2:1], run} & {(PL-1){!rst}};
        l_sr <= {l_sr[PL-2:1], run && (pi == LAST_I) && (hh == nheads_q - 1'b1)};
        h_sr[1] <= hh;
        i_sr[1] <= pi;
        for (k = 2; k < PL; k = k + 1) begin
            h_sr[k] <= h_sr[k-1];
            i_sr[k] <= i_sr[k-1];
        end
    end
    reg [6:0] s1;
    reg [5:0] sc2;
    reg signed [31:0] wa2, wb2;
    reg signed [32:0] za3, zb3;
    reg signed [15:0] c3, sn3, ma4, mb4, c4, sn4, ma5, mb5, ma6, mb6, ma7, mb7;
    reg signed [31:0] ac5, bs5, bc5, as5, ac6, bs6, bc6, as6;
    reg signed [32:0] da7, db7;
    wire signed [18:0] r_a = $signed(da7[32:14]) + $signed({18'd0, da7[13]});
    wire signed [18:0] r_b = $signed(db7[32:14]) + $signed({18'd0, db7[13]});
    always @(posedge clk) begin
        s1 <= s_now;
        // 1 -> 2
        wa2 <= sa_rdata;
        wb2 <= sb_rdata;
        sc2 <= (s1 > 7'd33) ? 6'd33 : s1[5:0];
        // 2 -> 3
        za3 <= $signed({wa2, 1'b0}) >>> sc2;
        zb3 <= $signed({wb2, 1'b0}) >>> sc2;
        c3 <= cos_v;
        sn3 <= sin_v;
        // 3 -> 4
        ma4 <= fn_rndclamp14(za3);
        mb4 <= fn_rndclamp14(zb3);
        c4 <= c3;
        sn4 <= sn3;
        // 4 -> 5 -> 6
        ac5 <= ma4 * c4;
        bs5 <= mb4 * sn4;
        bc5 <= mb4 * c4;
        as5 <= ma4 * sn4;
        ac6 <= ac5;
        bs6 <= bs5;
        bc6 <= bc5;
        as6 <= as5;
        ma5 <= ma4;
        mb5 <= mb4;
        ma6 <= ma5;
        mb6 <= mb5;
        // 6 -> 7
        da7 <= {ac6[31], ac6} - {bs6[31], bs6};
        db7 <= {bc6[31], bc6} + {as6[31], as6};
        ma7 <= ma6;
        mb7 <= mb6;
        // 7 -> 8
        o_we <= v_sr[PL-1] && !rst;
        o_head <= h_sr[PL-1];
        o_i <= i_sr[PL-1];
        o_a <= rope_q ? r_a[15:0] : ma7;
        o_b <= rope_q ? r_b[15:0] : mb7;
        done <= l_sr[PL-1] && v_sr[PL-1] && !rst;
    end
    wire _unused_ok = &{1'b0, r_a[18:16], r_b[18:16], da7[12:0], db7[12:0]};

    // sequencing and head exponents
    always @(posedge clk) begin
        e_we <= 1'b0;
        if (start) begin
            run <= 1'b1;
            hh <= {HAW{1'b0}};
            pi <= 8'd0;
            hbase <= sbase;
            nheads_q <= nheads;
            rope_q <= rope_en;
            rbase_q <= rbase;
        end else if (run) begin
            if (pi == 8'd0) begin
                e_we <= 1'b1;
                e_head <= hh;
                e_val <= {5'd0, s_now} - 12'sd16;
            end
            if (pi == LAST_I) begin
                pi <= 8'd0;
                hh <= hh + 1'b1;
                hbase <= hbase + HD[SAW-1:0];
                if (hh == nheads_q - 1'b1) run <= 1'b0;
            end else begin
                pi <= pi + 8'd1;
            end
        end
        if (rst) begin
            run <= 1'b0;
            e_we <= 1'b0;
        end
    end
endmodule
