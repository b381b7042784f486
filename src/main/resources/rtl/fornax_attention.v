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
    output wire [6:0] x_maxbits
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
    // A value row issued in cycle k (v0) is in stage n in cycle k + n. Control (valid, head, first
    // and last row of the head) travels in shift registers; the stages (for timing):
    //   1 Z, V words, e_v arrive, registered  2 d = zmax - z (33 bits); evs = evmax - e_v
    //   3 EXP2 read (index d[15:8] and the next)  4 block RAM  5 its output register
    //   6 T[i+1] - T[i]  7, 8 (T[i+1] - T[i]) * frac (DSP M, P)  9 lerp = T[i] + that >> 8
    //   10 z = 2*lerp >>> ip  11 ex = ip >= 31 ? 0 : (z + 1) >>> 1; ssum += ex
    //   12 z = 2*ex >> evs  13 w = (z + 1) >> 1  14, 15 w * v (DSP M, P)  16 acc += w*v
    localparam integer VL = 15;             // control stages (stage 16 is the accumulator itself)
    reg v0;
    reg [HAW-1:0] vh0;
    reg vf0, vl0;
    reg [VL:1] v_sr, vf_sr, vl_sr;
    reg [HAW-1:0] vh_sr [1:VL];
    integer vk;
    always @(posedge clk) begin
        v_sr <= {v_sr[VL-1:1], v0} & {VL{!rst}};
        vf_sr <= {vf_sr[VL-1:1], vf0};
        vl_sr <= {vl_sr[VL-1:1], vl0};
        vh_sr[1] <= vh0;
        for (vk = 2; vk <= VL; vk = vk + 1) vh_sr[vk] <= vh_sr[vk-1];
    end
    // the V words travel beside the exponential (registers load only with a row in their stage)
    reg [HD*16-1:0] vv_sr [2:13];
    always @(posedge clk) begin
        if (v_sr[1]) vv_sr[2] <= v_rdata;
        for (vk = 3; vk <= 13; vk = vk + 1) if (v_sr[vk-1]) vv_sr[vk] <= vv_sr[vk-1];
    end
    reg signed [31:0] zr2, zm2;
    reg signed [11:0] evr2, evm2;
    reg [15:0] fp3;
    reg [16:0] ip3;
    reg signed [11:0] evs3;
    always @(posedge clk) if (v_sr[1]) begin
        zr2 <= z_rdata;
        zm2 <= zmax[vh_sr[1]];
        evr2 <= ev_rdata;
        evm2 <= evmax[vh_sr[1]];
    end
    wire signed [32:0] zdist = {zm2[31], zm2} - {zr2[31], zr2};
    always @(posedge clk) if (v_sr[2]) begin
        fp3 <= zdist[15:0];
        ip3 <= zdist[32:16];
        evs3 <= evm2 - evr2;
    end
    wire [15:0] e_lo, e_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_EXP2_DEPTH), .AW(`FORNAX_EXP2_AW), .FILE(EXP2_FILE), .OREG(1)) exp_lo (
        .clk(clk), .addr({1'b0, fp3[15:8]}), .data(e_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_EXP2_DEPTH), .AW(`FORNAX_EXP2_AW), .FILE(EXP2_FILE), .OREG(1)) exp_hi (
        .clk(clk), .addr({1'b0, fp3[15:8]} + 9'd1), .data(e_hi));
    // fraction, ip and evs wait for the table words (stages 4..)
    reg [7:0] ef_sr [4:8];
    reg [16:0] ip_sr [4:10];
    reg signed [11:0] evs_sr [4:11];
    always @(posedge clk) begin
        if (v_sr[3]) begin
            ef_sr[4] <= fp3[7:0];
            ip_sr[4] <= ip3;
            evs_sr[4] <= evs3;
        end
        for (vk = 5; vk <= 8; vk = vk + 1) if (v_sr[vk-1]) ef_sr[vk] <= ef_sr[vk-1];
        for (vk = 5; vk <= 10; vk = vk + 1) if (v_sr[vk-1]) ip_sr[vk] <= ip_sr[vk-1];
        for (vk = 5; vk <= 11; vk = vk + 1) if (v_sr[vk-1]) evs_sr[vk] <= evs_sr[vk-1];
    end
    reg signed [16:0] ed6;
    reg [15:0] elo6, elo7, elo8;
    reg signed [25:0] ep7, ep8;
    reg signed [17:0] lerp9;
    reg signed [18:0] zx10;
    reg [16:0] ex11;
    reg [17:0] zw12;
    reg [16:0] w13;
    always @(posedge clk) begin
        if (v_sr[5]) begin
            ed6 <= $signed({1'b0, e_hi}) - $signed({1'b0, e_lo});
            elo6 <= e_lo;
        end
        if (v_sr[6]) begin
            ep7 <= ed6 * $signed({1'b0, ef_sr[6]});
            elo7 <= elo6;
        end
        if (v_sr[7]) begin
            ep8 <= ep7;
            elo8 <= elo7;
        end
        if (v_sr[8]) lerp9 <= $signed({2'b00, elo8}) + $signed(ep8[25:8]);
        // rshr(lerp, ip): lerp < 2^17, so a shift of 31 or more leaves 0 (the result is 0 there)
        if (v_sr[9]) zx10 <= $signed({lerp9, 1'b0}) >>> ((ip_sr[9] >= 17'd19) ? 5'd19 : ip_sr[9][4:0]);
        if (v_sr[10]) ex11 <= (ip_sr[10] >= 17'd31) ? 17'd0 : ex_r[17:1];
        // rshr(ex, evs) with evs >= 0 (evmax is the maximum): 18 or more leaves 0
        if (v_sr[11]) zw12 <= {ex11, 1'b0} >> ((evs_sr[11] >= 12'sd18) ? 5'd18 : evs_sr[11][4:0]);
        if (v_sr[12]) w13 <= wr[17:1];
    end
    wire signed [19:0] ex_r = {zx10[18], zx10} + 20'sd1;
    wire [18:0] wr = {1'b0, zw12} + 19'd1;
    // the row sum travels with its row to stage 15, where the head's sums move to a bank
    reg [47:0] ssum;
    reg [47:0] sfin_sr [12:15];
    wire [47:0] ssum_next = (vf_sr[11] ? 48'd0 : ssum) + {31'd0, ex11};
    wire [47:0] ssum_fin = sfin_sr[15];
    always @(posedge clk) begin
        if (v_sr[11]) ssum <= ssum_next;
        if (v_sr[11]) sfin_sr[12] <= ssum_next;
        for (vk = 13; vk <= 15; vk = vk + 1) if (v_sr[vk-1]) sfin_sr[vk] <= sfin_sr[vk-1];
    end
    reg signed [32:0] pv14 [0:HD-1];
    reg signed [32:0] pv15 [0:HD-1];
    reg signed [47:0] acc [0:HD-1];
    reg [47:0] bank_s [0:1];
    reg bank_full [0:1];
    // a finished head's sums move to bank (head & 1)
    wire to_bank = v_sr[15] && vl_sr[15];
    wire to_bank1 = vh_sr[15][0];
    generate
        for (gn = 0; gn < HD; gn = gn + 1) begin : g_vacc
            wire signed [47:0] sum = (vf_sr[15] ? 48'sd0 : acc[gn]) + {{15{pv15[gn][32]}}, pv15[gn]};
            always @(posedge clk) begin
                if (v_sr[13]) pv14[gn] <= $signed({1'b0, w13}) * $signed(vv_sr[13][gn*16 +: 16]);
                if (v_sr[14]) pv15[gn] <= pv14[gn];
                if (v_sr[15]) acc[gn] <= sum;
                if (to_bank && !to_bank1) bank0[gn] <= sum;
                if (to_bank && to_bank1) bank1[gn] <= sum;
            end
        end
    endgenerate

    // ------------------------------------------------------------------ output section
    // the reciprocal of a head's sum, one step per state (for timing): sum registered; ulen; j;
    // u = sum >> j; table index; RECIP words (block RAM, output register); d = T[i+1] - T[i];
    // d*frac (DSP M, P); R = T[i] + d*frac >> 7
    localparam [3:0] O_IDLE = 4'd0, O_R2 = 4'd1, O_R3 = 4'd2, O_RUN = 4'd3, O_L1 = 4'd4, O_L2 = 4'd5,
                     O_L3 = 4'd6, O_L4 = 4'd7, O_RW = 4'd8, O_D = 4'd9, O_M = 4'd10, O_P = 4'd11;
    reg [3:0] ost;
    reg [9:0] o_done;
    reg [47:0] s_q, su_q;
    reg [6:0] slen_q;
    wire [6:0] slen = (s_q[47:32] != 16'd0) ? (7'd32 + fn_ulen32({16'd0, s_q[47:32]})) : fn_ulen32(s_q[31:0]);
    wire [7:0] rjc = {1'b0, slen_q} - 8'd16;
    reg [8:0] r_idx, r_idx1;
    reg [6:0] r_fr;
    wire [16:0] rc_lo, rc_hi;
    fornax_rom #(.WIDTH(17), .DEPTH(`FORNAX_RECIP_DEPTH), .AW(`FORNAX_RECIP_AW), .FILE(RECIP_FILE), .OREG(1)) rec_lo (
        .clk(clk), .addr(r_idx), .data(rc_lo));
    fornax_rom #(.WIDTH(17), .DEPTH(`FORNAX_RECIP_DEPTH), .AW(`FORNAX_RECIP_AW), .FILE(RECIP_FILE), .OREG(1)) rec_hi (
        .clk(clk), .addr(r_idx1), .data(rc_hi));
    reg signed [17:0] rdiff;
    reg [16:0] rlo_q, rlo_m, rlo_p;
    reg signed [25:0] rprod_m, rprod;
    wire signed [18:0] rc_lerp = $signed({2'b00, rlo_p}) + $signed(rprod[25:7]);
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
                s_q <= bank_s[o_bank];
                ost <= O_L1;
            end
            O_L1: begin
                slen_q <= slen;
                ost <= O_L2;
            end
            O_L2: begin
                rj <= rjc;
                ost <= O_L3;
            end
            O_L3: begin
                su_q <= s_q >> rj;
                ost <= O_L4;
            end
            O_L4: begin
                r_idx <= su_q[15:7] - 9'd256;
                r_idx1 <= su_q[15:7] - 9'd255;
                r_fr <= su_q[6:0];
                ost <= O_R2;
            end
            O_R2: ost <= O_RW;          // RECIP words in flight
            O_RW: ost <= O_D;
            O_D: begin
                rdiff <= $signed({1'b0, rc_hi}) - $signed({1'b0, rc_lo});
                rlo_q <= rc_lo;
                ost <= O_M;
            end
            O_M: begin
                rprod_m <= rdiff * $signed({1'b0, r_fr});
                rlo_m <= rlo_q;
                ost <= O_P;
            end
            O_P: begin
                rprod <= rprod_m;
                rlo_p <= rlo_m;
                ost <= O_R3;
            end
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
            o_done <= o_done + 10'd1;
        end
        if (ph == A_IDLE && start) begin
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
    fornax_maxbits #(.W(32)) mb_x (.clk(clk), .clear(ph == A_IDLE && start), .in_valid(x_we),
        .val(x_wdata), .mbits_o(x_maxbits));
    wire _unused_ok = &{1'b0, rq_tag, ep8[7:0], ex_r[19:18], ex_r[0], wr[18], wr[0], su_q[47:16], rprod[6:0],
                        rc_lerp[18:17], o_sel};
endmodule
