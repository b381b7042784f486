// INT4 weight unpacker (docs/HARDWARE.md, "INT4 weight stream"; docs/NUMERICS.md, "INT4 weights").
// Sits between the core and the weight source of an INT4 design. The core asks for weights in MAC
// beats (bpr beats of LANES int8 weights per row); the memory holds each row as ceil(bpr/G) beats of
// group multipliers u followed by ceil(bpr/2) beats of nibbles (byte i of packed beat k: low nibble =
// q of MAC beat 2k lane i, high nibble = MAC beat 2k+1 lane i); rows come in blocks of 2^lk rows
// that share a run of multiplier beats (byte rb*ngp + g: row rb of the block, group g; ngp =
// ceil(bpr*LANES/G)). This module turns each core request {wbase, nbeats = {lk, bpr}, nrows} into
// the packed request {wbase, ceil(nrows/2^lk) * scale beats + nrows * ceil(bpr/2)} and the packed
// beats into the int8 beats q*u (|q*u| <= 7*18 = 126) the core eats.
// Row constants do not pass here. The multipliers live in two banks, alternating by block, so a
// block's scale beats are taken while the previous block's weights still leave: a matrix takes
// max(MAC beats, packed beats) cycles when the source delivers a beat per cycle.
module fornax_w4_unpack #(
    parameter integer LANES = 16,
    parameter integer LOG2L = 4,
    parameter integer LOG2G = 5,     // group size G = 2^LOG2G (weights)
    parameter integer SBW = 1        // bits of a scale-beat index: holds ceil(max bpr / G) - 1
) (
    input wire clk,
    input wire rst,
    // core side
    input wire c_req_valid,
    output wire c_req_ready,
    input wire [31:0] c_req_wbase,
    input wire [31:0] c_req_nbeats,  // bpr (MAC beats per row)
    input wire [31:0] c_req_cbase,
    input wire [31:0] c_req_nrows,
    output wire c_w_valid,
    output wire [LANES*8-1:0] c_w_data,
    input wire c_w_ready,
    // weight source side
    output wire s_req_valid,
    input wire s_req_ready,
    output wire [31:0] s_req_wbase,
    output wire [31:0] s_req_nbeats,
    output wire [31:0] s_req_cbase,
    output wire [31:0] s_req_nrows,
    input wire s_w_valid,
    input wire [LANES*8-1:0] s_w_data,
    output wire s_w_ready
);
    // ------------------------------------------------------------------ geometry
    // ngp = ceil(bpr*LANES/G) groups per row; a block of 2^lk rows has ceil(2^lk*ngp/LANES) scale beats
    function automatic [31:0] row_groups;
        input [15:0] bpr;
        begin
            row_groups = (({16'd0, bpr} << LOG2L) + (32'd1 << LOG2G) - 32'd1) >> LOG2G;
        end
    endfunction
    function automatic [31:0] block_scale_beats;
        input [15:0] ngp;
        input [3:0] lk;
        begin
            block_scale_beats = (({16'd0, ngp} << lk) + LANES - 1) >> LOG2L;
        end
    endfunction

    // ------------------------------------------------------------------ requests: a 2-entry geometry queue
    reg [15:0] q_bpr [0:1];
    reg [3:0] q_lk [0:1];
    reg [31:0] q_rows [0:1];
    reg q_wr, q_rd;
    reg [1:0] q_n;
    wire q_full = (q_n == 2'd2);
    wire [15:0] c_bpr = c_req_nbeats[15:0];
    wire [3:0] c_lk = c_req_nbeats[19:16];
    wire [31:0] c_ngp = row_groups(c_bpr);
    wire [31:0] c_sb = block_scale_beats(c_ngp[15:0], c_lk);
    wire [31:0] c_blocks = (c_req_nrows + ((32'd1 << c_lk) - 32'd1)) >> c_lk;
    wire [47:0] nb = {16'd0, c_blocks} * {32'd0, c_sb[15:0]} + {16'd0, c_req_nrows} * {32'd0, (c_bpr + 16'd1) >> 1};
    assign s_req_valid = c_req_valid && !q_full;
    assign c_req_ready = s_req_ready && !q_full;
    assign s_req_wbase = c_req_wbase;
    assign s_req_nbeats = nb[31:0];
    assign s_req_cbase = c_req_cbase;
    assign s_req_nrows = c_req_nrows;
    wire push = c_req_valid && c_req_ready;
    wire _unused_req = &{1'b0, c_req_nbeats[31:20], nb[47:32], c_ngp[31:16], c_sb[31:16]};

    // head of the queue: the request whose beats arrive now
    wire hv = (q_n != 2'd0);
    wire [15:0] h_bpr = q_bpr[q_rd];
    wire [3:0] h_lk = q_lk[q_rd];
    wire [31:0] h_rows = q_rows[q_rd];
    wire [31:0] h_ngp32 = row_groups(h_bpr);
    wire [15:0] h_ngp = h_ngp32[15:0];
    wire [31:0] h_sb32 = block_scale_beats(h_ngp, h_lk);
    wire [15:0] h_sb = h_sb32[15:0];
    wire _unused_h = &{1'b0, h_ngp32[31:16], h_sb32[31:16]};
    wire [15:0] h_wb = (h_bpr + 16'd1) >> 1;
    wire [15:0] h_klast = (16'd1 << h_lk) - 16'd1;

    // ------------------------------------------------------------------ parser + one-beat buffer
    reg ph;                           // 1: the block's scale beats, 0: its rows' weight beats
    reg [15:0] sidx;                  // scale beat within the block
    reg [15:0] wcnt;                  // weight beat within the row
    reg [15:0] rb;                    // row within the block
    reg [15:0] goff;                  // first group of the row in the block's multipliers: rb * ngp
    reg [31:0] rr;                    // row within the request
    localparam integer SBP = 1 << SBW;
    reg [LANES*8-1:0] sc [0:2*SBP-1]; // group multipliers: bank b at [b*SBP, b*SBP + scale beats)
    reg wbank, bbank;                 // bank of the block being parsed, of the buffered beat
    reg bv;                           // buffer holds a weight beat
    reg [LANES*8-1:0] bd;
    reg bhalf, bnh;                   // half being emitted, last half of the beat
    reg [15:0] bj;                    // MAC beat index of half 0
    reg [15:0] bgoff;                 // its row's first group
    wire take_out = bv && c_w_ready;
    wire bfree = !bv || (take_out && (bhalf == bnh));
    // a scale beat may not overwrite the bank the buffered beat still reads
    wire sfree = !bv || (bbank != wbank) || (take_out && (bhalf == bnh));
    assign s_w_ready = hv && (ph ? sfree : bfree);
    wire take_in = s_w_valid && s_w_ready;
    wire row_end = !ph && (wcnt == h_wb - 16'd1);
    wire req_end = row_end && (rr == h_rows - 32'd1);
    wire blk_end = row_end && (rb == h_klast);
    wire _unused_sidx = &{1'b0, sidx, wcnt[15]};

    integer qi;
    always @(posedge clk) begin
        if (push) begin
            q_bpr[q_wr] <= c_bpr;
            q_lk[q_wr] <= c_lk;
            q_rows[q_wr] <= c_req_nrows;
            q_wr <= ~q_wr;
        end
        if (take_in && req_end) q_rd <= ~q_rd;
        q_n <= q_n + (push ? 2'd1 : 2'd0) - ((take_in && req_end) ? 2'd1 : 2'd0);

        if (take_in) begin
            if (ph) begin
                sc[{wbank, sidx[SBW-1:0]}] <= s_w_data;
                if (sidx == h_sb - 16'd1) begin
                    ph <= 1'b0;
                    sidx <= 16'd0;
                end else begin
                    sidx <= sidx + 16'd1;
                end
            end else begin
                bd <= s_w_data;
                bbank <= wbank;
                bgoff <= goff;
                bj <= {wcnt[14:0], 1'b0};
                bnh <= ({wcnt[14:0], 1'b1} < h_bpr);
                bhalf <= 1'b0;
                if (row_end) begin
                    wcnt <= 16'd0;
                    rr <= req_end ? 32'd0 : rr + 32'd1;
                    if (req_end || blk_end) begin
                        ph <= 1'b1;
                        rb <= 16'd0;
                        goff <= 16'd0;
                        wbank <= ~wbank;
                    end else begin
                        rb <= rb + 16'd1;
                        goff <= goff + h_ngp;
                    end
                end else begin
                    wcnt <= wcnt + 16'd1;
                end
            end
        end
        if (take_in && !ph) bv <= 1'b1;
        else if (take_out) begin
            if (bhalf == bnh) bv <= 1'b0;
            else bhalf <= 1'b1;
        end
        if (rst) begin
            q_n <= 2'd0;
            q_wr <= 1'b0;
            q_rd <= 1'b0;
            ph <= 1'b1;
            sidx <= 16'd0;
            wcnt <= 16'd0;
            rb <= 16'd0;
            goff <= 16'd0;
            rr <= 32'd0;
            bv <= 1'b0;
            bhalf <= 1'b0;
            bnh <= 1'b0;
            bj <= 16'd0;
            bgoff <= 16'd0;
            wbank <= 1'b0;
            bbank <= 1'b0;
            for (qi = 0; qi < 2; qi = qi + 1) begin
                q_bpr[qi] <= 16'd0;
                q_lk[qi] <= 4'd0;
                q_rows[qi] <= 32'd0;
            end
        end
    end

    // ------------------------------------------------------------------ expansion: lane i gets q*u
    wire [15:0] j = bj + {15'd0, bhalf};   // MAC beat index within the row
    genvar gi;
    generate
        for (gi = 0; gi < LANES; gi = gi + 1) begin : g_lane
            wire [3:0] nib = bhalf ? bd[gi*8+4 +: 4] : bd[gi*8 +: 4];
            wire [31:0] col = {16'd0, j} * LANES + gi;
            wire [31:0] grp = {16'd0, bgoff} + (col >> LOG2G);
            wire [31:0] word = grp >> LOG2L;
            wire [31:0] bsel = grp & (LANES - 1);
            wire [LANES*8-1:0] sword = sc[{bbank, word[SBW-1:0]}];
            wire [7:0] u = sword[bsel[LOG2L > 0 ? LOG2L-1 : 0:0] * 8 +: 8];
            wire signed [13:0] p = $signed({{4{nib[3]}}, nib}) * $signed({1'b0, u[4:0]});
            assign c_w_data[gi*8 +: 8] = p[7:0];
            wire _unused_lane = &{1'b0, col, grp[31:0], word, bsel, u[7:5], p[13:8]};
        end
    endgenerate
    assign c_w_valid = bv;
endmodule
