// INT4 weight unpacker (docs/HARDWARE.md, "INT4 weight stream"; docs/NUMERICS.md, "INT4 weights").
// Sits between the core and the weight source of an INT4 design. The core asks for weights in MAC
// beats (bpr beats of LANES int8 weights per row); the memory holds each row as ceil(bpr/G) beats of
// group multipliers u (byte j = group j) followed by ceil(bpr/2) beats of nibbles (byte i of packed
// beat k: low nibble = q of MAC beat 2k lane i, high nibble = MAC beat 2k+1 lane i). This module
// turns each core request {wbase, nbeats = bpr, nrows} into the packed request {wbase,
// nrows * pbpr} and the packed beats into the int8 beats q*u (|q*u| <= 7*18 = 126) the core eats.
// Row constants do not pass here. The multipliers live in two banks, alternating by row, so a row's
// scale beats are taken while the previous row's weights still leave: a row of bpr MAC beats takes
// max(bpr, packed beats) cycles when the source delivers a beat per cycle.
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
    function automatic [15:0] scale_beats;
        input [15:0] bpr;
        begin
            scale_beats = (bpr >> LOG2G) + {15'd0, |(bpr & ((16'd1 << LOG2G) - 16'd1))};
        end
    endfunction
    function automatic [15:0] packed_beats;
        input [15:0] bpr;
        begin
            packed_beats = scale_beats(bpr) + ((bpr + 16'd1) >> 1);
        end
    endfunction

    // ------------------------------------------------------------------ requests: a 2-entry geometry queue
    reg [15:0] q_bpr [0:1];
    reg [31:0] q_rows [0:1];
    reg q_wr, q_rd;
    reg [1:0] q_n;
    wire q_full = (q_n == 2'd2);
    wire [15:0] c_bpr = c_req_nbeats[15:0];
    wire [47:0] nb = {16'd0, c_req_nrows} * {32'd0, packed_beats(c_bpr)};
    assign s_req_valid = c_req_valid && !q_full;
    assign c_req_ready = s_req_ready && !q_full;
    assign s_req_wbase = c_req_wbase;
    assign s_req_nbeats = nb[31:0];
    assign s_req_cbase = c_req_cbase;
    assign s_req_nrows = c_req_nrows;
    wire push = c_req_valid && c_req_ready;
    wire _unused_req = &{1'b0, c_req_nbeats[31:16], nb[47:32]};

    // head of the queue: the request whose beats arrive now
    wire hv = (q_n != 2'd0);
    wire [15:0] h_bpr = q_bpr[q_rd];
    wire [31:0] h_rows = q_rows[q_rd];
    wire [15:0] h_sb = scale_beats(h_bpr);
    wire [15:0] h_pb = packed_beats(h_bpr);

    // ------------------------------------------------------------------ parser + one-beat buffer
    reg [15:0] pb;                    // packed beat index within the row
    reg [31:0] rr;                    // row index within the request
    localparam integer SBP = 1 << SBW;
    reg [LANES*8-1:0] sc [0:2*SBP-1]; // group multipliers: bank b at [b*SBP, b*SBP + SB)
    reg wbank, bbank;                 // bank of the row being parsed, of the buffered beat
    reg bv;                           // buffer holds a weight beat
    reg [LANES*8-1:0] bd;
    reg bhalf, bnh;                   // half being emitted, last half of the beat
    reg [15:0] bj;                    // MAC beat index of half 0
    wire take_out = bv && c_w_ready;
    wire bfree = !bv || (take_out && (bhalf == bnh));
    wire is_scale = (pb < h_sb);
    // a scale beat may not overwrite the bank the buffered beat still reads
    wire sfree = !bv || (bbank != wbank) || (take_out && (bhalf == bnh));
    assign s_w_ready = hv && (is_scale ? sfree : bfree);
    wire take_in = s_w_valid && s_w_ready;
    wire [15:0] wk = pb - h_sb;       // weight beat index
    wire row_end = (pb == h_pb - 16'd1);
    wire req_end = row_end && (rr == h_rows - 32'd1);
    wire [15:0] sidx = pb;
    wire _unused_sidx = &{1'b0, sidx, wk[15]};

    integer qi;
    always @(posedge clk) begin
        if (push) begin
            q_bpr[q_wr] <= c_bpr;
            q_rows[q_wr] <= c_req_nrows;
            q_wr <= ~q_wr;
        end
        if (take_in && req_end) q_rd <= ~q_rd;
        q_n <= q_n + (push ? 2'd1 : 2'd0) - ((take_in && req_end) ? 2'd1 : 2'd0);

        if (take_in) begin
            if (is_scale) begin
                sc[{wbank, sidx[SBW-1:0]}] <= s_w_data;
            end else begin
                bd <= s_w_data;
                bbank <= wbank;
                bj <= {wk[14:0], 1'b0};
                bnh <= ({wk[14:0], 1'b1} < h_bpr);
                bhalf <= 1'b0;
            end
            if (row_end) begin
                pb <= 16'd0;
                wbank <= ~wbank;
                rr <= req_end ? 32'd0 : rr + 32'd1;
            end else begin
                pb <= pb + 16'd1;
            end
        end
        if (take_in && !is_scale) bv <= 1'b1;
        else if (take_out) begin
            if (bhalf == bnh) bv <= 1'b0;
            else bhalf <= 1'b1;
        end
        if (rst) begin
            q_n <= 2'd0;
            q_wr <= 1'b0;
            q_rd <= 1'b0;
            pb <= 16'd0;
            rr <= 32'd0;
            bv <= 1'b0;
            bhalf <= 1'b0;
            bnh <= 1'b0;
            bj <= 16'd0;
            wbank <= 1'b0;
            bbank <= 1'b0;
            for (qi = 0; qi < 2; qi = qi + 1) begin
                q_bpr[qi] <= 16'd0;
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
            wire [31:0] grp = col >> LOG2G;
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
