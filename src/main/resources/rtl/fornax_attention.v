// Causal attention (IntOps.attention) for every query head of one layer at position t, HD lanes
// wide. Three overlapped sections:
//   score pass, all heads back to back, one key per cycle:
//       z_p = requant(sum_i q_i*K_p,i, MC, KC - (e_q + e_k,p) - 16) -> Z[head][p], zmax[head],
//       ev_max[head]
//   value pass, all heads back to back, one value row per cycle:
//       ex_p = exp2neg(zmax - z_p) (EXP2 table, lerp), S += ex_p, w_p = rshr(ex_p, ev_max - e_v,p),
//       acc_i += w_p * V_p,i; a finished head's acc and S move to one of two output banks
//   output, while the next heads' values are summed:
//       j = bitlen(S) - 16, u = S >> j, Rc = lerp(RECIP, (u >> 7) - 256, u & 0x7F, 7),
//       out_i = requant(acc_i, Rc, 31 + j - ev_max - 16) -> x[head*HD + i]
// Query head h reads kv head h / GROUP; cache rows are ((layer*KV + g)*CTX + p).
module fornax_attention #(
    parameter integer HD = 8,
    parameter integer LOG2HD = 3,       // ceil(log2 HD)
    parameter integer H = 8,
    parameter integer KV = 4,
    parameter integer CTX = 64,
    parameter integer HAW = 4,
    parameter integer PAW = 7,          // position bits (holds CTX)
    parameter integer CAW = 10,         // cache address bits
    parameter integer EAW = 8,          // output element index bits
    parameter integer MC = 32768,
    parameter integer KC = 16,
    parameter EXP2_FILE = "exp2.mem",
    parameter RECIP_FILE = "recip.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [7:0] layer,
    input wire [PAW-1:0] pos,
    output reg done,
    output wire busy,                   // from start to done: the q/k/v memories may be read
    // queries: head word and exponent
    output reg [HAW-1:0] q_raddr,
    input wire [HD*16-1:0] q_rdata,
    input wire signed [11:0] q_exp,     // exponent of head q_raddr (combinational)
    // caches (1-cycle latency)
    output reg [CAW-1:0] k_raddr,
    input wire [HD*16-1:0] k_rdata,
    input wire signed [11:0] ek_rdata,
    output reg [CAW-1:0] v_raddr,
    input wire [HD*16-1:0] v_rdata,
    input wire signed [11:0] ev_rdata,
    // output vector
    output reg x_we,
    output reg [EAW-1:0] x_waddr,
    output reg signed [31:0] x_wdata,
    output reg [6:0] x_maxbits
);
`include "fornax_fn.vh"
`include "fornax_isa.vh"


    localparam integer HDP = 1 << LOG2HD;
    localparam integer GROUP = H / KV;
    localparam integer TW = 32 + LOG2HD;
    localparam integer ZD = H * CTX;
    localparam integer ZAW = fn_addr_bits(ZD);
    localparam integer NH = 1 << HAW;
    localparam [HAW-1:0] LAST_H = H[HAW-1:0] - 1'b1;
    localparam [HAW-1:0] LAST_G = GROUP[HAW-1:0] - 1'b1;
    localparam [9:0] LAST_I = HD[9:0] - 10'd1;
    // requantiser tag: a score's {head, position} or an output's element index (10 bits); at
    // least one spare bit so the zero padding above it is never empty
    localparam integer TAGW = (PAW + HAW + 1 > 16) ? PAW + HAW + 1 : 16;

    localparam [2:0] A_IDLE = 3'd0, A_Q1 = 3'd1, A_Q2 = 3'd2, A_SCORE = 3'd3, A_SDRAIN = 3'd4,
                     A_VALUE = 3'd5, A_VSTALL = 3'd6, A_DRAIN = 3'd7;
    reg [2:0] ph;
    reg [7:0] layer_q;
    reg [PAW-1:0] t_q, pc;             // last position, position counter
    reg [HAW-1:0] hh, g_cnt, grp_cnt;  // head being issued, its kv head, index in the group
    reg [31:0] z_cnt, z_total;
    reg [HAW:0] heads_out;             // heads whose output is complete
    wire out_phase = (ph == A_VALUE) || (ph == A_VSTALL) || (ph == A_DRAIN);
    assign busy = (ph != A_IDLE);
    wire [CAW-1:0] kv_row0 = ({{(CAW-8){1'b0}}, layer_q} * KV[CAW-1:0]
        + {{(CAW-HAW){1'b0}}, g_cnt}) * CTX[CAW-1:0];
    wire [ZAW-1:0] z_row0 = {{(ZAW-HAW){1'b0}}, hh} * CTX[ZAW-1:0];

    // ------------------------------------------------------------------ query register
    reg signed [15:0] qv [0:HD-1];
    reg signed [11:0] eq;
    wire q_load = (ph == A_SCORE) && (pc == {PAW{1'b0}});
    genvar gn;
    generate
        for (gn = 0; gn < HD; gn = gn + 1) begin : g_q
            always @(posedge clk) if (q_load) qv[gn] <= q_rdata[gn*16 +: 16];
        end
    endgenerate
    always @(posedge clk) if (q_load) eq <= q_exp;

    // ------------------------------------------------------------------ score datapath
    reg s0, s1;
    reg [PAW-1:0] sp0, sp1;
    reg [HAW-1:0] sh0, sh1;
    reg signed [TW-1:0] node [0:2*HDP-2];
    reg sv [0:LOG2HD];
    reg [PAW+HAW-1:0] stag [0:LOG2HD];  // {head, position}
    reg signed [11:0] sek [0:LOG2HD];   // e_q + e_k
    function automatic signed [TW-1:0] mulq;
        input signed [15:0] a;
        input [15:0] b;
        reg signed [31:0] pr;
        begin
            pr = a * $signed(b);
            mulq = {{(TW-32){pr[31]}}, pr};
        end
    endfunction
    // registers load only when their stage holds a key (clock enables)
    generate
        for (gn = 0; gn < HDP; gn = gn + 1) begin : g_leaf
            if (gn < HD) begin : g_prod
                always @(posedge clk) if (s1) node[HDP - 1 + gn] <= mulq(qv[gn], k_rdata[gn*16 +: 16]);
            end else begin : g_pad
                always @(posedge clk) node[HDP - 1 + gn] <= {TW{1'b0}};
            end
        end
        for (gn = 0; gn < HDP - 1; gn = gn + 1) begin : g_sum
            localparam integer STAGE = LOG2HD - 1 - fn_tree_level(gn); // at elaboration (see fornax_mac_array)
            always @(posedge clk) if (sv[STAGE]) node[gn] <= node[2*gn + 1] + node[2*gn + 2];
        end
    endgenerate
    integer n;
    always @(posedge clk) begin
        s1 <= s0 && !rst;
        sp1 <= sp0;
        sh1 <= sh0;
        sv[0] <= s1 && !rst;
        stag[0] <= {sh1, sp1};
        sek[0] <= eq + ek_rdata;
        for (n = 1; n <= LOG2HD; n = n + 1) begin
            sv[n] <= sv[n-1] && !rst;
            stag[n] <= stag[n-1];
            sek[n] <= sek[n-1];
        end
    end

    // ------------------------------------------------------------------ shared requantiser
    reg o_issue;
    reg [9:0] o_i, o_sel;
    reg o_bank;
    reg signed [47:0] bank0 [0:HD-1];
    reg signed [47:0] bank1 [0:HD-1];
    reg [16:0] rc;
    reg signed [7:0] rj;
    reg [HAW-1:0] o_head;
    reg signed [11:0] evmax [0:NH-1];
    reg signed [31:0] zmax [0:NH-1];
    wire signed [47:0] o_acc = o_bank ? bank1[o_sel[LOG2HD-1:0]] : bank0[o_sel[LOG2HD-1:0]];
    wire rq_in_v = out_phase ? o_issue : sv[LOG2HD];
    wire signed [47:0] rq_acc = out_phase ? o_acc : {{(48-TW){node[0][TW-1]}}, node[0]};
    wire [16:0] rq_m = out_phase ? rc : MC[16:0];
    wire signed [11:0] rq_sh = out_phase
        ? (12'sd15 + {{4{rj[7]}}, rj} - evmax[o_head])
        : (KC[11:0] - sek[LOG2HD] - 12'sd16);
    wire [TAGW-1:0] rq_tag_in = out_phase ? {{(TAGW-10){1'b0}}, o_sel}
        : {{(TAGW-PAW-HAW){1'b0}}, stag[LOG2HD]};
    wire rq_v;
    wire signed [31:0] rq_y;
    wire [TAGW-1:0] rq_tag;
    fornax_requant #(.TAG_W(TAGW)) rq (
        .clk(clk), .rst(rst), .in_valid(rq_in_v), .acc(rq_acc), .m(rq_m), .sh(rq_sh),
        .in_tag(rq_tag_in), .out_valid(rq_v), .y(rq_y), .out_tag(rq_tag));

    // scores: Z[head][p]
    wire [HAW-1:0] z_head = rq_tag[PAW +: HAW];
    wire [ZAW-1:0] z_waddr = {{(ZAW-HAW){1'b0}}, z_head} * CTX[ZAW-1:0]
        + {{(ZAW-PAW){1'b0}}, rq_tag[PAW-1:0]};
    reg [ZAW-1:0] z_raddr;
    wire [31:0] z_rdata;
    fornax_ram #(.WIDTH(32), .DEPTH(ZD), .AW(ZAW)) zmem (
        .clk(clk), .we(rq_v && !out_phase), .waddr(z_waddr), .wdata(rq_y),
        .re(1'b1), .raddr(z_raddr), .rdata(z_rdata));

    // ------------------------------------------------------------------ value datapath
    // stage k of a row: vN valid, vhN head, vfN first row of the head, vlN last row of the head
    reg v0, v1, v2, v3, v4, v5;
    reg [HAW-1:0] vh0, vh1, vh2, vh3, vh4, vh5;
    reg vf0, vf1, vf2, vf3, vf4, vf5;
    reg vl0, vl1, vl2, vl3, vl4, vl5;
    wire signed [31:0] zmax1 = zmax[vh1];
    wire signed [32:0] zdist = {zmax1[31], zmax1} - {z_rdata[31], z_rdata};
    wire [15:0] fp = zdist[15:0];
    wire [7:0] e_idx = fp[15:8];
    wire [15:0] e_lo, e_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_EXP2_DEPTH), .AW(`FORNAX_EXP2_AW), .FILE(EXP2_FILE)) exp_lo (
        .clk(clk), .addr({1'b0, e_idx}), .data(e_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_EXP2_DEPTH), .AW(`FORNAX_EXP2_AW), .FILE(EXP2_FILE)) exp_hi (
        .clk(clk), .addr({1'b0, e_idx} + 9'd1), .data(e_hi));
    reg [16:0] ip2;
    reg [7:0] ef2;
    reg signed [11:0] evs2;
    reg [HD*16-1:0] vv2, vv3, vv4;
    always @(posedge clk) begin
        v1 <= v0 && !rst;
        vh1 <= vh0;
        vf1 <= vf0;
        vl1 <= vl0;
        v2 <= v1 && !rst;
        vh2 <= vh1;
        vf2 <= vf1;
        vl2 <= vl1;
        if (v1) begin
            ip2 <= zdist[32:16];
            ef2 <= fp[7:0];
            evs2 <= evmax[vh1] - ev_rdata;
            vv2 <= v_rdata;
        end
    end
    wire signed [16:0] ediff = $signed({1'b0, e_hi}) - $signed({1'b0, e_lo});
    wire signed [25:0] eprod = ediff * $signed({1'b0, ef2});
    wire signed [17:0] ex_lerp = $signed({2'b00, e_lo}) + $signed(eprod[25:8]);
    wire signed [63:0] ex_sh = fn_rshr64({{46{ex_lerp[17]}}, ex_lerp}, ip2[6:0]);
    reg [16:0] ex3;
    reg signed [11:0] evs3;
    always @(posedge clk) begin
        v3 <= v2 && !rst;
        vh3 <= vh2;
        vf3 <= vf2;
        vl3 <= vl2;
        if (v2) begin
            ex3 <= (ip2 >= 17'd31) ? 17'd0 : ex_sh[16:0];
            evs3 <= evs2;
            vv3 <= vv2;
        end
    end
    wire signed [63:0] w_sh = fn_rshr64({47'd0, ex3}, (evs3 >= 12'sd63) ? 7'd63 : evs3[6:0]);
    reg [16:0] w4;
    reg [47:0] ssum, ssum_fin;
    wire [47:0] ssum_next = (vf3 ? 48'd0 : ssum) + {31'd0, ex3};
    always @(posedge clk) begin
        v4 <= v3 && !rst;
        vh4 <= vh3;
        vf4 <= vf3;
        vl4 <= vl3;
        if (v3) begin
            w4 <= w_sh[16:0];
            vv4 <= vv3;
        end
        if (v3) ssum <= ssum_next;
        if (v3 && vl3) ssum_fin <= ssum_next;
    end
    reg signed [32:0] pv5 [0:HD-1];
    reg signed [47:0] acc [0:HD-1];
    reg [47:0] bank_s [0:1];
    reg bank_full [0:1];
    always @(posedge clk) begin
        v5 <= v4 && !rst;
        vh5 <= vh4;
        vf5 <= vf4;
        vl5 <= vl4;
    end
    // a finished head's sums move to bank (head & 1)
    wire to_bank = v5 && vl5;
    wire to_bank1 = vh5[0];
    generate
        for (gn = 0; gn < HD; gn = gn + 1) begin : g_vacc
            wire signed [47:0] sum = (vf5 ? 48'sd0 : acc[gn]) + {{15{pv5[gn][32]}}, pv5[gn]};
            always @(posedge clk) begin
                if (v4) pv5[gn] <= $signed({1'b0, w4}) * $signed(vv4[gn*16 +: 16]);
                if (v5) acc[gn] <= sum;
                if (to_bank && !to_bank1) bank0[gn] <= sum;
                if (to_bank && to_bank1) bank1[gn] <= sum;
            end
        end
    endgenerate

    // ------------------------------------------------------------------ output section
    localparam [1:0] O_IDLE = 2'd0, O_R2 = 2'd1, O_R3 = 2'd2, O_RUN = 2'd3;
    reg [1:0] ost;
    reg [9:0] o_done;
    wire [47:0] s_out = bank_s[o_bank];
    wire [6:0] slen = fn_ulen64({16'd0, s_out});
    wire [7:0] rjc = {1'b0, slen} - 8'd16;
    wire [47:0] su = s_out >> rjc;
    reg [8:0] r_idx;
    reg [6:0] r_fr;
    wire [16:0] rc_lo, rc_hi;
    fornax_rom #(.WIDTH(17), .DEPTH(`FORNAX_RECIP_DEPTH), .AW(`FORNAX_RECIP_AW), .FILE(RECIP_FILE)) rec_lo (
        .clk(clk), .addr(r_idx), .data(rc_lo));
    fornax_rom #(.WIDTH(17), .DEPTH(`FORNAX_RECIP_DEPTH), .AW(`FORNAX_RECIP_AW), .FILE(RECIP_FILE)) rec_hi (
        .clk(clk), .addr(r_idx + 9'd1), .data(rc_hi));
    wire signed [17:0] rdiff = $signed({1'b0, rc_hi}) - $signed({1'b0, rc_lo});
    wire signed [25:0] rprod = rdiff * $signed({1'b0, r_fr});
    wire signed [18:0] rc_lerp = $signed({2'b00, rc_lo}) + $signed(rprod[25:7]);
    wire [HAW-1:0] o_head_next = o_head + 1'b1;
    always @(posedge clk) begin
        o_issue <= 1'b0;
        x_we <= 1'b0;
        if (to_bank) begin
            bank_s[to_bank1] <= ssum_fin;
            bank_full[to_bank1] <= 1'b1;
        end
        case (ost)
            O_IDLE: if (bank_full[o_bank]) begin
                rj <= rjc;
                r_idx <= su[15:7] - 9'd256;
                r_fr <= su[6:0];
                ost <= O_R2;
            end
            O_R2: ost <= O_R3;          // RECIP words in flight
            O_R3: begin
                rc <= rc_lerp[16:0];
                o_i <= 10'd0;
                o_done <= 10'd0;
                ost <= O_RUN;
            end
            O_RUN: begin
                if (o_i <= LAST_I) begin
                    o_issue <= 1'b1;
                    o_sel <= o_i;
                    o_i <= o_i + 10'd1;
                end
                if (o_done == HD[9:0]) begin
                    bank_full[o_bank] <= 1'b0;
                    o_bank <= ~o_bank;
                    o_head <= o_head_next;
                    heads_out <= heads_out + 1'b1;
                    ost <= O_IDLE;
                end
            end
            default: ost <= O_IDLE;
        endcase
        if (rq_v && out_phase) begin
            x_we <= 1'b1;
            x_waddr <= {{(EAW-HAW){1'b0}}, o_head} * HD[EAW-1:0] + rq_tag[EAW-1:0];
            x_wdata <= rq_y;
            if (fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y})) > x_maxbits)
                x_maxbits <= fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y}));
            o_done <= o_done + 10'd1;
        end
        if (ph == A_IDLE && start) begin
            x_maxbits <= 7'd0;
            o_bank <= 1'b0;
            o_head <= {HAW{1'b0}};
            heads_out <= {(HAW+1){1'b0}};
            bank_full[0] <= 1'b0;
            bank_full[1] <= 1'b0;
            ost <= O_IDLE;
        end
        if (rst) begin
            ost <= O_IDLE;
            x_we <= 1'b0;
            o_issue <= 1'b0;
            bank_full[0] <= 1'b0;
            bank_full[1] <= 1'b0;
        end
    end

    // ------------------------------------------------------------------ issue control
    // head hh may start its value rows once head hh-2 has left its output bank
    wire [HAW:0] hh_ext = {1'b0, hh};
    wire bank_free = (hh_ext < {{(HAW-1){1'b0}}, 2'd2}) ? 1'b1
        : (heads_out >= hh_ext - {{HAW{1'b0}}, 1'b1});
    // the next head's kv head: counters rather than a division by GROUP (not a power of two)
    wire grp_wrap = (grp_cnt == LAST_G);
    wire [HAW-1:0] grp_next = grp_wrap ? {HAW{1'b0}} : grp_cnt + 1'b1;
    wire [HAW-1:0] g_next = grp_wrap ? g_cnt + 1'b1 : g_cnt;
    integer m;
    always @(posedge clk) begin
        done <= 1'b0;
        s0 <= 1'b0;
        v0 <= 1'b0;
        if (rq_v && !out_phase) begin
            z_cnt <= z_cnt + 32'd1;
            if (rq_y > zmax[z_head]) zmax[z_head] <= rq_y;
        end
        if (s1 && ev_rdata > evmax[sh1]) evmax[sh1] <= ev_rdata;
        case (ph)
            A_IDLE: if (start) begin
                layer_q <= layer;
                t_q <= pos;
                hh <= {HAW{1'b0}};
                g_cnt <= {HAW{1'b0}};
                grp_cnt <= {HAW{1'b0}};
                z_cnt <= 32'd0;
                z_total <= {{(32-HAW){1'b0}}, H[HAW-1:0]} * ({{(32-PAW){1'b0}}, pos} + 32'd1);
                for (m = 0; m < NH; m = m + 1) begin
                    zmax[m] <= 32'sh80000000;
                    evmax[m] <= -12'sd2048;
                end
                ph <= A_Q1;
            end
            A_Q1: begin
                q_raddr <= hh;
                pc <= {PAW{1'b0}};
                ph <= A_Q2;
            end
            A_Q2: ph <= A_SCORE;         // q word arrives next cycle
            A_SCORE: begin
                k_raddr <= kv_row0 + {{(CAW-PAW){1'b0}}, pc};
                v_raddr <= kv_row0 + {{(CAW-PAW){1'b0}}, pc};
                s0 <= 1'b1;
                sp0 <= pc;
                sh0 <= hh;
                pc <= pc + 1'b1;
                if (pc == t_q) begin
                    if (hh == LAST_H) begin
                        ph <= A_SDRAIN;
                    end else begin
                        hh <= hh + 1'b1;
                        grp_cnt <= grp_next;
                        g_cnt <= g_next;
                        ph <= A_Q1;
                    end
                end
            end
            A_SDRAIN: if (z_cnt == z_total) begin
                hh <= {HAW{1'b0}};
                g_cnt <= {HAW{1'b0}};
                grp_cnt <= {HAW{1'b0}};
                pc <= {PAW{1'b0}};
                ph <= A_VALUE;
            end
            A_VALUE: begin
                z_raddr <= z_row0 + {{(ZAW-PAW){1'b0}}, pc};
                v_raddr <= kv_row0 + {{(CAW-PAW){1'b0}}, pc};
                v0 <= 1'b1;
                vh0 <= hh;
                vf0 <= (pc == {PAW{1'b0}});
                vl0 <= (pc == t_q);
                pc <= pc + 1'b1;
                if (pc == t_q) begin
                    pc <= {PAW{1'b0}};
                    if (hh == LAST_H) begin
                        ph <= A_DRAIN;
                    end else begin
                        hh <= hh + 1'b1;
                        grp_cnt <= grp_next;
                        g_cnt <= g_next;
                        ph <= A_VSTALL;
                    end
                end
            end
            A_VSTALL: if (bank_free) ph <= A_VALUE;
            A_DRAIN: if (heads_out == {1'b0, H[HAW-1:0]}) begin
                done <= 1'b1;
                ph <= A_IDLE;
            end
            default: ph <= A_IDLE;
        endcase
        if (rst) begin
            ph <= A_IDLE;
            done <= 1'b0;
            s0 <= 1'b0;
            v0 <= 1'b0;
        end
    end
    wire _unused_ok = &{1'b0, rq_tag, eprod[7:0], ex_sh[63:17], w_sh[63:17], su[47:16], rprod[6:0],
                        rc_lerp[18:17], o_sel, vh5[HAW-1:0], vf4, vl4};
endmodule
