// Weight source for --weights dram: an AXI4 read master (INCR bursts, one ID, data width DW)
// fetching the weight beats and row constants of each request from one DRAM image:
//   weights at byte W_OFF + beat*LANES, row constants (8 bytes each) at byte C_OFF + 8*row.
// Two walkers issue bursts for the two streams independently and in request order, each only when
// its data FIFO has room for the whole burst (so rready stays high and a full weight FIFO never
// blocks constants). Gearboxes turn AXI beats into LANES-byte weight beats (several weight beats
// per AXI beat, or several AXI beats per weight beat) and into 64-bit constants, skipping the part
// of the first AXI beat before the requested start. Requests queue up to 4 deep, so the next
// matrix is fetched while the current one is computed.
//
// Errors: a read response SLVERR/DECERR or an RLAST that disagrees with the burst length sets the
// sticky err/err_code (cleared by rst only); from then on no burst is issued, the read data of the
// bursts in flight is taken and dropped, and no further weight or constant is delivered (the core
// halts). Reset: the bursts in flight at a reset are counted (pend survives rst) and their data
// is dropped when it arrives after the reset, so it is never taken for the new requests' data.
module fornax_wsrc_axi #(
    parameter integer LANES = 16,
    parameter integer DW = 128,          // AXI data width, 64..1024
    parameter integer AW = 64,           // AXI address width
    parameter [3:0] ARCACHE = 4'b0011,   // AXI4 memory type: normal non-cacheable bufferable
    parameter [4:0] PORT = 5'd0,         // this port's index in err_code
    parameter [39:0] W_OFF = 40'd0,      // byte offset of the weight beats (multiple of 4096)
    parameter [39:0] C_OFF = 40'd4096,   // byte offset of the row constants (multiple of 4096)
    parameter integer BL = 16,           // longest burst, beats
    parameter integer WFD = 64,          // weight FIFO depth, AXI beats (power of two)
    parameter integer CFD = 32           // constant FIFO depth, AXI beats (power of two)
) (
    input wire clk,
    input wire rst,
    input wire [63:0] base,              // byte address of the image in DRAM, a multiple of 4096
    input wire req_valid,
    output wire req_ready,
    input wire [31:0] req_wbase,
    input wire [31:0] req_nbeats,
    input wire [31:0] req_cbase,
    input wire [31:0] req_nrows,
    output wire w_valid,
    output wire [LANES*8-1:0] w_data,
    input wire w_ready,
    output wire c_valid,
    output wire [63:0] c_data,
    input wire c_ready,
    output wire [AW-1:0] m_axi_araddr,
    output wire [7:0] m_axi_arlen,
    output wire [2:0] m_axi_arsize,
    output wire [1:0] m_axi_arburst,
    output wire [0:0] m_axi_arid,
    output wire [2:0] m_axi_arprot,
    output wire [3:0] m_axi_arcache,
    output wire [3:0] m_axi_arqos,
    output wire m_axi_arlock,
    output wire m_axi_arvalid,
    input wire m_axi_arready,
    input wire [DW-1:0] m_axi_rdata,
    input wire [1:0] m_axi_rresp,
    input wire m_axi_rlast,
    input wire [0:0] m_axi_rid,
    input wire m_axi_rvalid,
    output wire m_axi_rready,
    output reg err,
    output reg [7:0] err_code
);
    function automatic integer clog2;
        input integer v;
        integer r;
        begin
            r = 0;
            while ((1 << r) < v) r = r + 1;
            clog2 = r;
        end
    endfunction

    localparam integer B = DW / 8;                         // bytes per AXI beat
    localparam integer LB = LANES;                         // bytes per weight beat
    localparam integer LOG2B = clog2(B);
    localparam integer GATHER = (LB >= B) ? 1 : 0;         // AXI beats make one weight beat
    localparam integer RPW = (GATHER != 0) ? LB / B : 1;          // AXI beats per weight beat
    localparam integer WPR = (GATHER != 0) ? 1 : B / LB;          // weight beats per AXI beat
    localparam integer LOG2WPR = clog2(WPR);
    localparam integer LOG2RPW = clog2(RPW);
    localparam integer CPB = B / 8;                        // constants per AXI beat
    localparam integer LOG2CPB = clog2(CPB);
    localparam integer WFA = clog2(WFD);
    localparam integer CFA = clog2(CFD);
    localparam [2:0] SIZE = LOG2B[2:0];
    // 40-bit copies (all powers of two) for address arithmetic
    localparam [39:0] B_40 = 40'd1 << LOG2B;
    localparam [39:0] WPR_40 = 40'd1 << LOG2WPR;
    localparam [39:0] CPB_40 = 40'd1 << LOG2CPB;
    localparam [39:0] PAGE_40 = 40'd4096 >> LOG2B;
    localparam [39:0] BL_40 = 40'd1 << clog2(BL);

    // ------------------------------------------------------------------ request queue (4 deep)
    // fields: first AXI beat and AXI beat count per stream, skip and count per gearbox
    reg [39:0] q_wbeat [0:3];
    reg [31:0] q_wlen [0:3];
    reg [15:0] q_wskip [0:3];
    reg [31:0] q_wn [0:3];
    reg [39:0] q_cbeat [0:3];
    reg [31:0] q_clen [0:3];
    reg [15:0] q_cskip [0:3];
    reg [31:0] q_cn [0:3];
    reg [2:0] q_wp, rp_wi, rp_ci, rp_wg, rp_cg;            // writer; issuers and gearboxes read
    wire [2:0] q_used_wi = q_wp - rp_wi;
    wire [2:0] q_used_ci = q_wp - rp_ci;
    wire [2:0] q_used_wg = q_wp - rp_wg;
    wire [2:0] q_used_cg = q_wp - rp_cg;
    assign req_ready = !rst && q_used_wi != 3'd4 && q_used_ci != 3'd4 && q_used_wg != 3'd4
        && q_used_cg != 3'd4;

    // byte address of the first weight beat, and of the first constant
    wire [39:0] wbyte = W_OFF + ({8'd0, req_wbase} << clog2(LB));
    wire [39:0] cbyte = C_OFF + ({8'd0, req_cbase} << 3);
    wire [39:0] wskip_b = wbyte & (B_40 - 40'd1);      // bytes before the start in its AXI beat
    wire [39:0] cskip_b = cbyte & (B_40 - 40'd1);
    wire [39:0] wskip = (GATHER != 0) ? 40'd0 : (wskip_b >> clog2(LB));
    wire [39:0] cskip = cskip_b >> 3;
    wire [39:0] wtot = (GATHER != 0) ? ({8'd0, req_nbeats} << LOG2RPW)
                              : ((wskip + {8'd0, req_nbeats} + WPR_40 - 40'd1) >> LOG2WPR);
    wire [39:0] ctot = (cskip + {8'd0, req_nrows} + CPB_40 - 40'd1) >> LOG2CPB;
    always @(posedge clk) begin
        if (req_valid && req_ready) begin
            q_wbeat[q_wp[1:0]] <= wbyte >> LOG2B;
            q_wlen[q_wp[1:0]] <= wtot[31:0];
            q_wskip[q_wp[1:0]] <= wskip[15:0];
            q_wn[q_wp[1:0]] <= req_nbeats;
            q_cbeat[q_wp[1:0]] <= cbyte >> LOG2B;
            q_clen[q_wp[1:0]] <= ctot[31:0];
            q_cskip[q_wp[1:0]] <= cskip[15:0];
            q_cn[q_wp[1:0]] <= req_nrows;
            q_wp <= q_wp + 3'd1;
        end
        if (rst) q_wp <= 3'd0;
    end

    // ------------------------------------------------------------------ burst issue
    // each walker holds its current request's next beat and remaining beats
    reg wi_act, ci_act;
    reg [39:0] wi_beat, ci_beat;
    reg [31:0] wi_left, ci_left;
    reg [WFA:0] w_free;                                    // FIFO entries not yet promised
    reg [CFA:0] c_free;
    reg ar_v;
    reg [39:0] ar_beat;
    reg [7:0] ar_len;                                      // beats - 1
    // pend: bursts issued and not yet finished; it survives rst (power-up value 0), so that the data
    // of bursts in flight at a reset is recognised after it (stale) and dropped.
    reg [5:0] pend = 6'd0;
    reg [5:0] stale = 6'd0;
    wire stale_left = stale != 6'd0;
    wire ar_fire = ar_v && m_axi_arready;
    wire r_fire = m_axi_rvalid && !rst;
    wire r_end = r_fire && m_axi_rlast;
    wire [5:0] pend_next = pend + {5'd0, ar_fire} - {5'd0, r_end};
    always @(posedge clk) begin
        pend <= pend_next;
        if (rst) stale <= pend_next;
        else if (r_end && stale_left) stale <= stale - 6'd1;
    end

    // burst length: up to BL, the rest of the request, the rest of the 4 KB page
    function automatic [8:0] burst;
        input [39:0] beat;
        input [31:0] left;
        reg [39:0] to_page;
        reg [39:0] n;
        begin
            to_page = PAGE_40 - (beat & (PAGE_40 - 40'd1));
            n = BL_40;
            if ({8'd0, left} < n) n = {8'd0, left};
            if (to_page < n) n = to_page;
            burst = n[8:0];
        end
    endfunction
    wire [8:0] w_bl = burst(wi_beat, wi_left);
    wire [8:0] c_bl = burst(ci_beat, ci_left);
    wire w_can = wi_act && ({{(31-WFA){1'b0}}, w_free} >= {23'd0, w_bl});
    wire c_can = ci_act && ({{(31-CFA){1'b0}}, c_free} >= {23'd0, c_bl});

    // outstanding bursts: destination and length of each, in order (R data returns in AR order)
    reg dq [0:15];
    reg [7:0] dq_len [0:15];
    reg [4:0] dq_wp, dq_rp;
    wire dq_full = (dq_wp - dq_rp) == 5'd16;
    reg [63:0] ar_addr;
    wire base_ok = base[11:0] == 12'd0;

    assign m_axi_arvalid = ar_v;
    assign m_axi_araddr = ar_addr[AW-1:0];
    assign m_axi_arlen = ar_len;
    assign m_axi_arsize = SIZE;
    assign m_axi_arburst = 2'b01;
    assign m_axi_arid = 1'b0;
    assign m_axi_arprot = 3'b000;           // unprivileged, secure, data
    assign m_axi_arcache = ARCACHE;
    assign m_axi_arqos = 4'd0;
    assign m_axi_arlock = 1'b0;

    wire [WFA:0] w_rel;
    wire c_rel;
    always @(posedge clk) begin
        if (ar_v && m_axi_arready) ar_v <= 1'b0;
        if (!wi_act && q_used_wi != 3'd0) begin
            wi_act <= 1'b1;
            wi_beat <= q_wbeat[rp_wi[1:0]];
            wi_left <= q_wlen[rp_wi[1:0]];
            rp_wi <= rp_wi + 3'd1;
        end
        if (!ci_act && q_used_ci != 3'd0) begin
            ci_act <= 1'b1;
            ci_beat <= q_cbeat[rp_ci[1:0]];
            ci_left <= q_clen[rp_ci[1:0]];
            rp_ci <= rp_ci + 3'd1;
        end
        w_free <= w_free + w_rel;
        c_free <= c_free + {{CFA{1'b0}}, c_rel};
        if ((!ar_v || m_axi_arready) && !dq_full && !err && !stale_left && base_ok) begin
            // constants first: they are small and every row needs one
            if (c_can) begin
                ar_v <= 1'b1;
                ar_beat <= ci_beat;
                ar_addr <= base + ({24'd0, ci_beat} << LOG2B);
                ar_len <= c_bl[7:0] - 8'd1;
                dq[dq_wp[3:0]] <= 1'b1;
                dq_len[dq_wp[3:0]] <= c_bl[7:0] - 8'd1;
                dq_wp <= dq_wp + 5'd1;
                ci_beat <= ci_beat + {31'd0, c_bl};
                ci_left <= ci_left - {23'd0, c_bl};
                if (ci_left == {23'd0, c_bl}) ci_act <= 1'b0;
                c_free <= c_free + {{CFA{1'b0}}, c_rel} - c_bl[CFA:0];
            end else if (w_can) begin
                ar_v <= 1'b1;
                ar_beat <= wi_beat;
                ar_addr <= base + ({24'd0, wi_beat} << LOG2B);
                ar_len <= w_bl[7:0] - 8'd1;
                dq[dq_wp[3:0]] <= 1'b0;
                dq_len[dq_wp[3:0]] <= w_bl[7:0] - 8'd1;
                dq_wp <= dq_wp + 5'd1;
                wi_beat <= wi_beat + {31'd0, w_bl};
                wi_left <= wi_left - {23'd0, w_bl};
                if (wi_left == {23'd0, w_bl}) wi_act <= 1'b0;
                w_free <= w_free + w_rel - w_bl[WFA:0];
            end
        end
        if (rst) begin
            ar_v <= 1'b0;
            wi_act <= 1'b0;
            ci_act <= 1'b0;
            rp_wi <= 3'd0;
            rp_ci <= 3'd0;
            dq_wp <= 5'd0;
            w_free <= WFD[WFA:0];
            c_free <= CFD[CFA:0];
        end
    end

    // ------------------------------------------------------------------ read data into the FIFOs
    assign m_axi_rready = !rst;
    reg [DW-1:0] wf [0:WFD-1];
    reg [DW-1:0] cf [0:CFD-1];
    reg [WFA:0] wf_wp, wf_rp;
    reg [CFA:0] cf_wp, cf_rp;
    reg [7:0] r_beat;                                      // beat within the current burst
    wire r_to_c = dq[dq_rp[3:0]];
    wire r_last_beat = r_beat == dq_len[dq_rp[3:0]];
    wire r_take = r_fire && !stale_left && !err;
    always @(posedge clk) begin
        if (r_take) begin
            if (r_to_c) begin
                cf[cf_wp[CFA-1:0]] <= m_axi_rdata;
                cf_wp <= cf_wp + 1'b1;
            end else begin
                wf[wf_wp[WFA-1:0]] <= m_axi_rdata;
                wf_wp <= wf_wp + 1'b1;
            end
            r_beat <= r_last_beat ? 8'd0 : r_beat + 8'd1;
            if (r_last_beat) dq_rp <= dq_rp + 5'd1;
            if (!err && (m_axi_rresp[1] || m_axi_rlast != r_last_beat)) begin
                err <= 1'b1;
                // cause: 1 SLVERR, 2 DECERR, 3 RLAST before the burst's last beat, 4 no RLAST on it
                err_code <= {PORT, m_axi_rresp[1] ? (m_axi_rresp[0] ? 3'd2 : 3'd1) : (m_axi_rlast ? 3'd3 : 3'd4)};
            end
        end
        if (!err && !base_ok && (wi_act || ci_act)) begin
            err <= 1'b1;
            err_code <= {PORT, 3'd5};
        end
        if (rst) begin
            wf_wp <= {(WFA+1){1'b0}};
            cf_wp <= {(CFA+1){1'b0}};
            dq_rp <= 5'd0;
            r_beat <= 8'd0;
            err <= 1'b0;
            err_code <= 8'd0;
        end
    end
    wire _unused_ok = &{1'b0, ar_beat, wtot, ctot, wskip, cskip, m_axi_rid};

    // ------------------------------------------------------------------ weight gearbox
    reg wg_act;
    reg [31:0] wg_left;
    reg [15:0] wg_k;                                       // weight beat within the AXI beat
    wire [WFA:0] wf_count = wf_wp - wf_rp;
    wire [DW*RPW-1:0] wf_head;
    genvar gr;
    generate
        for (gr = 0; gr < RPW; gr = gr + 1) begin : g_head
            wire [WFA-1:0] idx = wf_rp[WFA-1:0] + gr[WFA-1:0];
            assign wf_head[gr*DW +: DW] = wf[idx];
        end
    endgenerate
    assign w_valid = wg_act && (wf_count >= RPW[WFA:0]) && !err;
    generate
        if (GATHER != 0) begin : g_gather
            assign w_data = wf_head[LB*8-1:0];
        end else begin : g_scatter
            assign w_data = wf_head[wg_k[LOG2WPR-1:0]*LB*8 +: LB*8];
        end
    endgenerate
    wire w_fire = w_valid && w_ready;
    wire w_pop = w_fire && ((GATHER != 0) || wg_k == WPR[15:0] - 16'd1 || wg_left == 32'd1);
    assign w_rel = w_pop ? RPW[WFA:0] : {(WFA+1){1'b0}};
    always @(posedge clk) begin
        if (!wg_act && q_used_wg != 3'd0) begin
            wg_act <= 1'b1;
            wg_k <= q_wskip[rp_wg[1:0]];
            wg_left <= q_wn[rp_wg[1:0]];
            rp_wg <= rp_wg + 3'd1;
        end
        if (w_fire) begin
            wg_left <= wg_left - 32'd1;
            wg_k <= w_pop ? 16'd0 : wg_k + 16'd1;
            if (wg_left == 32'd1) wg_act <= 1'b0;
        end
        if (w_pop) wf_rp <= wf_rp + RPW[WFA:0];
        if (rst) begin
            wg_act <= 1'b0;
            rp_wg <= 3'd0;
            wf_rp <= {(WFA+1){1'b0}};
        end
    end

    // ------------------------------------------------------------------ constant gearbox
    reg cg_act;
    reg [31:0] cg_left;
    reg [15:0] cg_k;
    wire [CFA:0] cf_count = cf_wp - cf_rp;
    wire [DW-1:0] cf_head = cf[cf_rp[CFA-1:0]];
    assign c_valid = cg_act && (cf_count != {(CFA+1){1'b0}}) && !err;
    generate
        if (CPB == 1) begin : g_c1
            assign c_data = cf_head[63:0];
        end else begin : g_cn
            assign c_data = cf_head[cg_k[LOG2CPB-1:0]*64 +: 64];
        end
    endgenerate
    wire c_fire = c_valid && c_ready;
    wire c_pop = c_fire && (cg_k == CPB[15:0] - 16'd1 || cg_left == 32'd1);
    assign c_rel = c_pop;
    always @(posedge clk) begin
        if (!cg_act && q_used_cg != 3'd0) begin
            cg_act <= 1'b1;
            cg_k <= q_cskip[rp_cg[1:0]];
            cg_left <= q_cn[rp_cg[1:0]];
            rp_cg <= rp_cg + 3'd1;
        end
        if (c_fire) begin
            cg_left <= cg_left - 32'd1;
            cg_k <= c_pop ? 16'd0 : cg_k + 16'd1;
            if (cg_left == 32'd1) cg_act <= 1'b0;
        end
        if (c_pop) cf_rp <= cf_rp + 1'b1;
        if (rst) begin
            cg_act <= 1'b0;
            rp_cg <= 3'd0;
            cf_rp <= {(CFA+1){1'b0}};
        end
    end
endmodule
