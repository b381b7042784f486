// One AXI4 read port of the DRAM weight source (fornax_wsrc_axi): the master of port PORT, reading
// its region of the image (base address `base`, a multiple of 4096):
//   byte SL*b + j of region: byte PORT*SL + j of weight beat b      (SL = LANES / P bytes)
//   byte C_OFF + 8*w:        row constant P*w + PORT                 (8 bytes, little-endian)
// For every request of the core (weight beats [wbase, wbase + nbeats), row constants [cbase,
// cbase + nrows)) it delivers its SL-byte slice of each weight beat on s_* and its share of the row
// constants (those r with r mod P = PORT) on k_*, in request order.
//
// Latency tolerance: a burst is issued only when its FIFO has a free entry for each of its beats
// (credits, released as words leave the FIFO), so rready never drops and a full weight FIFO never
// blocks constants. The FIFOs are sized by the compiler for the memory latency it was given
// (WD >= latency x beats per cycle + 2 bursts), so the weight stream keeps up however far ahead of
// its data the master has to ask. Bursts are up to BL beats, aligned to BL beats (hence never
// across 4 KB), issued constants first; each of the two walkers issues at most every other cycle,
// which keeps the issue path short (registered burst lengths).
//
// Errors: RRESP SLVERR/DECERR or an RLAST that disagrees with the burst's length sets err / err_code
// {PORT, cause} (cause 1 SLVERR, 2 DECERR, 3 RLAST early, 4 RLAST missing, 5 base not a multiple of
// 4096); err and halt (another port's error) stop all new bursts; the data of bursts in flight is
// taken and dropped. Reset: the bursts in flight are counted across rst (pend, power-up value 0)
// and no new burst is issued until their data has arrived and been dropped.
module fornax_axi_rport #(
    parameter integer P = 1,                 // ports (power of two)
    parameter [4:0] PORT = 5'd0,             // this port's index
    parameter integer DW = 512,              // data width, 64..1024
    parameter integer SL = 64,               // bytes of each weight beat on this port (power of two)
    parameter [39:0] C_OFF = 40'd4096,       // byte offset of the constants in the region (multiple of 4096)
    parameter integer BL = 64,               // longest burst, beats (power of two, <= 4096 / (DW/8), <= 256)
    parameter integer BLC = 16,              // longest constant burst, beats (power of two, <= BL)
    parameter integer WD = 512,              // weight FIFO, AXI beats (power of two)
    parameter integer CD = 64,               // constant FIFO, AXI beats (power of two)
    parameter [3:0] ARCACHE = 4'b0011
) (
    input wire clk,
    input wire rst,
    input wire [63:0] base,
    input wire halt,
    // requests, in order (the weight source's queue)
    input wire rq_valid,
    output wire rq_ready,
    input wire [31:0] rq_wbase,
    input wire [31:0] rq_nbeats,
    input wire [31:0] rq_cbase,
    input wire [31:0] rq_nrows,
    // this port's slices of the weight beats, and its row constants
    output wire s_valid,
    output wire [SL*8-1:0] s_data,
    input wire s_ready,
    output wire k_valid,
    output wire [63:0] k_data,
    input wire k_ready,
    // AXI4 read channels
    output wire [63:0] m_axi_araddr,
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
    localparam integer LOG2B = clog2(B);
    localparam integer LOG2SL = clog2(SL);
    localparam integer LOG2P = clog2(P);
    localparam integer GATHER = (SL > B) ? 1 : 0;          // several AXI beats per slice
    localparam integer LOG2RPW = (GATHER != 0) ? LOG2SL - LOG2B : 0;   // AXI beats per slice
    localparam integer LOG2WPR = (GATHER != 0) ? 0 : LOG2B - LOG2SL;   // slices per AXI beat
    localparam integer LOG2CPB = LOG2B - 3;                // constants per AXI beat
    localparam integer PB = 12 - LOG2B;                    // bits of a beat index within a 4 KB page
    localparam integer WA = clog2(WD);
    localparam integer CA = clog2(CD);
    localparam integer OT = 32;                            // bursts outstanding at most
    localparam [2:0] SIZE = LOG2B[2:0];
    localparam integer PMI = P - 1;
    localparam [39:0] PM1 = {8'd0, PMI[31:0]};

    // ================================================================== request decode
    // four register stages from the request to the walkers' and gearboxes' commands
    localparam [2:0] D_IDLE = 3'd0, D_1 = 3'd1, D_2 = 3'd2, D_3 = 3'd3, D_PUSH = 3'd4;
    reg [2:0] dst;
    reg [39:0] d_wb, d_cf, d_ce, d_wbeat, d_wn, d_cbyte, d_cn, d_cbeat;
    reg [31:0] d_nbeats, d_cnt;
    reg [15:0] d_wskip, d_cskip;
    reg [51:0] d_wpage, d_cpage;
    reg [PB-1:0] d_wpoff, d_cpoff;
    wire wq_full, cq_full, wgq_full, cgq_full;
    wire d_push = dst == D_PUSH && !wq_full && !cq_full && !wgq_full && !cgq_full;
    assign rq_ready = dst == D_IDLE && !rst;
    always @(posedge clk) begin
        case (dst)
            D_IDLE: if (rq_valid) begin
                d_wb <= {8'd0, rq_wbase} << LOG2SL;
                d_cf <= ({8'd0, rq_cbase} + PM1 - {35'd0, PORT}) >> LOG2P;
                d_ce <= ({8'd0, rq_cbase} + {8'd0, rq_nrows} + PM1 - {35'd0, PORT}) >> LOG2P;
                d_nbeats <= rq_nbeats;
                dst <= D_1;
            end
            D_1: begin
                d_wbeat <= d_wb >> LOG2B;
                d_wskip <= (GATHER != 0) ? 16'd0 : ((d_wb[15:0] & (B[15:0] - 16'd1)) >> LOG2SL);
                d_cbyte <= C_OFF + (d_cf << 3);
                d_cnt <= d_ce[31:0] - d_cf[31:0];
                dst <= D_2;
            end
            D_2: begin
                d_wn <= (GATHER != 0) ? ({8'd0, d_nbeats} << LOG2RPW)
                      : (({24'd0, d_wskip} + {8'd0, d_nbeats} + (40'd1 << LOG2WPR) - 40'd1) >> LOG2WPR);
                d_cbeat <= d_cbyte >> LOG2B;
                d_cskip <= (d_cbyte[15:0] & (B[15:0] - 16'd1)) >> 3;
                dst <= D_3;
            end
            D_3: begin
                d_cn <= ({24'd0, d_cskip} + {8'd0, d_cnt} + (40'd1 << LOG2CPB) - 40'd1) >> LOG2CPB;
                d_wpage <= base[63:12] + {{(52-40+PB){1'b0}}, d_wbeat[39:PB]};
                d_wpoff <= d_wbeat[PB-1:0];
                d_cpage <= base[63:12] + {{(52-40+PB){1'b0}}, d_cbeat[39:PB]};
                d_cpoff <= d_cbeat[PB-1:0];
                dst <= D_PUSH;
            end
            D_PUSH: if (d_push) dst <= D_IDLE;
            default: dst <= D_IDLE;
        endcase
        if (rst) dst <= D_IDLE;
    end

    // command queues: walkers {page, offset in page, AXI beats}, gearboxes {skip, words}
    wire wq_v, cq_v, wq_pop, cq_pop;
    wire [51:0] wq_page, cq_page;
    wire [PB-1:0] wq_poff, cq_poff;
    wire [31:0] wq_n, cq_n;
    wire nz_cnt = d_cnt != 32'd0;
    fornax_regq #(.W(52 + PB + 32)) q_w (.clk(clk), .rst(rst),
        .push(d_push), .din({d_wpage, d_wpoff, d_wn[31:0]}), .full(wq_full),
        .valid(wq_v), .dout({wq_page, wq_poff, wq_n}), .pop(wq_pop));
    fornax_regq #(.W(52 + PB + 32)) q_c (.clk(clk), .rst(rst),
        .push(d_push && nz_cnt), .din({d_cpage, d_cpoff, d_cn[31:0]}), .full(cq_full),
        .valid(cq_v), .dout({cq_page, cq_poff, cq_n}), .pop(cq_pop));
    wire wgq_v, cgq_v, wgq_pop, cgq_pop;
    wire [15:0] wgq_skip, cgq_skip;
    wire [31:0] wgq_n, cgq_n;
    fornax_regq #(.W(48)) q_wg (.clk(clk), .rst(rst),
        .push(d_push), .din({d_wskip, d_nbeats}), .full(wgq_full),
        .valid(wgq_v), .dout({wgq_skip, wgq_n}), .pop(wgq_pop));
    fornax_regq #(.W(48)) q_cg (.clk(clk), .rst(rst),
        .push(d_push && nz_cnt), .din({d_cskip, d_cnt}), .full(cgq_full),
        .valid(cgq_v), .dout({cgq_skip, cgq_n}), .pop(cgq_pop));

    // ================================================================== bursts in flight across a reset
    // pend: bursts issued and not finished; it survives rst (power-up value 0), so that the data of
    // bursts in flight at a reset is recognised after it (stale) and dropped
    reg [5:0] pend = 6'd0;
    reg [5:0] stale = 6'd0;
    wire stale_left = stale != 6'd0;
    reg ar_v;
    reg rdy;                                               // m_axi_rready
    wire ar_fire = ar_v && m_axi_arready;
    wire r_fire = m_axi_rvalid && rdy;
    wire r_end = r_fire && m_axi_rlast;
    wire [5:0] pend_next = pend + {5'd0, ar_fire} - {5'd0, r_end};
    always @(posedge clk) begin
        pend <= pend_next;
        if (rst) stale <= pend_next;
        else if (r_end && stale_left) stale <= stale - 6'd1;
    end

    // ================================================================== burst issue
    // a walker per stream: the current command's next beat (page, offset) and beats left; nlen /
    // nlast: the next burst's length and whether it ends the command, registered from them
    reg w_act, c_act, w_cool, c_cool;
    reg [51:0] w_page, c_page, w_page1, c_page1;           // page and page + 1
    reg [PB-1:0] w_poff, c_poff;
    reg [31:0] w_left, c_left;
    reg [8:0] w_nlen, c_nlen;
    reg w_nlast, c_nlast, w_nwrap, c_nwrap;
    reg [15:0] w_free;                                     // weight FIFO entries not yet promised
    reg [15:0] c_free;
    reg w_rel, c_rel;                                      // an entry left the FIFO last cycle
    reg [7:0] ar_len;
    reg [63:0] ar_addr;
    // tracker: destination (1: constants) and length - 1 of each burst in flight, in order
    reg trk_c [0:OT-1];
    reg [7:0] trk_len [0:OT-1];
    reg [5:0] trk_wp, trk_rp;
    wire trk_full = (trk_wp - trk_rp) == 6'd32;
    wire stop = err || halt || stale_left || rst;
    wire slot = !ar_v || m_axi_arready;
    wire c_go = slot && !stop && !trk_full && c_act && !c_cool && c_free >= {7'd0, c_nlen};
    wire w_go = slot && !stop && !trk_full && w_act && !w_cool && w_free >= {7'd0, w_nlen} && !c_go;
    assign wq_pop = !w_act && wq_v && !rst;
    assign cq_pop = !c_act && cq_v && !rst;

    // next burst length: to the next boundary of a longest burst (lb beats, 2^lb2), or the rest of
    // the command if that is shorter
    function automatic [9:0] next_len;       // {ends the command, length}
        input [8:0] poff;                    // beat in the page (its low bits)
        input [31:0] left;
        input [8:0] lb;
        input [8:0] lbm;                     // lb - 1
        reg [8:0] to_bound;
        begin
            to_bound = lb - (poff & lbm);
            if (left[31:9] == 23'd0 && left[8:0] <= to_bound) next_len = {1'b1, left[8:0]};
            else next_len = {1'b0, to_bound};
        end
    endfunction
    localparam [8:0] BL9 = BL[8:0], BLC9 = BLC[8:0];
    wire [15:0] w_poff16 = {{(16-PB){1'b0}}, w_poff};
    wire [15:0] c_poff16 = {{(16-PB){1'b0}}, c_poff};
    wire [9:0] w_nl = next_len(w_poff16[8:0], w_left, BL9, BL9 - 9'd1);
    wire [9:0] c_nl = next_len(c_poff16[8:0], c_left, BLC9, BLC9 - 9'd1);
    localparam [9:0] PAGE_BEATS = 10'd1 << PB;

    always @(posedge clk) begin
        w_nlen <= w_nl[8:0];
        w_nlast <= w_nl[9];
        w_nwrap <= {{(10-PB){1'b0}}, w_poff} + {1'b0, w_nl[8:0]} == PAGE_BEATS;
        c_nlen <= c_nl[8:0];
        c_nlast <= c_nl[9];
        c_nwrap <= {{(10-PB){1'b0}}, c_poff} + {1'b0, c_nl[8:0]} == PAGE_BEATS;
        w_page1 <= w_page + 52'd1;
        c_page1 <= c_page + 52'd1;
        w_cool <= 1'b0;
        c_cool <= 1'b0;
        if (wq_pop) begin
            w_act <= 1'b1;
            w_cool <= 1'b1;
            w_page <= wq_page;
            w_poff <= wq_poff;
            w_left <= wq_n;
        end
        if (cq_pop) begin
            c_act <= 1'b1;
            c_cool <= 1'b1;
            c_page <= cq_page;
            c_poff <= cq_poff;
            c_left <= cq_n;
        end
        if (ar_fire) ar_v <= 1'b0;
        // both sums are ready before the issue decision, which only selects one
        w_free <= w_go ? w_free + {15'd0, w_rel} - {7'd0, w_nlen} : w_free + {15'd0, w_rel};
        c_free <= c_go ? c_free + {15'd0, c_rel} - {7'd0, c_nlen} : c_free + {15'd0, c_rel};
        if (c_go || w_go) begin
            ar_v <= 1'b1;
            ar_addr <= c_go ? {c_page, c_poff, {LOG2B{1'b0}}} : {w_page, w_poff, {LOG2B{1'b0}}};
            ar_len <= c_go ? c_nlen[7:0] - 8'd1 : w_nlen[7:0] - 8'd1;
            trk_c[trk_wp[4:0]] <= c_go;
            trk_len[trk_wp[4:0]] <= c_go ? c_nlen[7:0] - 8'd1 : w_nlen[7:0] - 8'd1;
            trk_wp <= trk_wp + 6'd1;
        end
        if (c_go) begin
            c_cool <= 1'b1;
            c_poff <= c_poff + c_nlen[PB-1:0];
            if (c_nwrap) c_page <= c_page1;
            c_left <= c_left - {23'd0, c_nlen};
            if (c_nlast) c_act <= 1'b0;
        end
        if (w_go) begin
            w_cool <= 1'b1;
            w_poff <= w_poff + w_nlen[PB-1:0];
            if (w_nwrap) w_page <= w_page1;
            w_left <= w_left - {23'd0, w_nlen};
            if (w_nlast) w_act <= 1'b0;
        end
        if (rst) begin
            ar_v <= 1'b0;
            w_act <= 1'b0;
            c_act <= 1'b0;
            trk_wp <= 6'd0;
            w_free <= WD[15:0];
            c_free <= CD[15:0];
        end
    end
    assign m_axi_arvalid = ar_v;
    assign m_axi_araddr = ar_addr;
    assign m_axi_arlen = ar_len;
    assign m_axi_arsize = SIZE;
    assign m_axi_arburst = 2'b01;                          // INCR
    assign m_axi_arid = 1'b0;
    assign m_axi_arprot = 3'b000;                          // unprivileged, secure, data
    assign m_axi_arcache = ARCACHE;
    assign m_axi_arqos = 4'd0;
    assign m_axi_arlock = 1'b0;

    // ================================================================== read data
    // one register stage on the R channel, then the tracker tells where the beat goes
    reg r_v, r_last, r_drop;
    reg [1:0] r_resp;
    reg [DW-1:0] r_data;
    reg [7:0] r_beat;                                      // beat within the burst at the tracker's head
    assign m_axi_rready = rdy;
    always @(posedge clk) begin
        rdy <= !rst;
        r_v <= r_fire;
        r_data <= m_axi_rdata;
        r_last <= m_axi_rlast;
        r_resp <= m_axi_rresp;
        r_drop <= stale_left;
    end
    wire h_c = trk_c[trk_rp[4:0]];
    wire h_last = r_beat == trk_len[trk_rp[4:0]];
    wire r_use = r_v && !r_drop;
    wire r_keep = r_use && !err;
    always @(posedge clk) begin
        if (r_use) begin
            r_beat <= h_last ? 8'd0 : r_beat + 8'd1;
            if (h_last) trk_rp <= trk_rp + 6'd1;
            if (!err && (r_resp[1] || r_last != h_last)) begin
                err <= 1'b1;
                err_code <= {PORT, r_resp[1] ? (r_resp[0] ? 3'd2 : 3'd1) : (r_last ? 3'd3 : 3'd4)};
            end
        end
        if (!err && dst == D_3 && base[11:0] != 12'd0) begin
            err <= 1'b1;
            err_code <= {PORT, 3'd5};
        end
        if (rst) begin
            r_beat <= 8'd0;
            trk_rp <= 6'd0;
            err <= 1'b0;
            err_code <= 8'd0;
        end
    end

    // ================================================================== FIFOs and gearboxes
    wire wf_v, cf_v, wf_pop, cf_pop;
    wire [DW-1:0] wf_d, cf_d;
    fornax_axi_fifo #(.W(DW), .DEPTH(WD), .AB(WA)) wfifo (.clk(clk), .rst(rst),
        .wr_en(r_keep && !h_c), .wr_data(r_data), .rd_valid(wf_v), .rd_data(wf_d), .rd_ready(wf_pop));
    fornax_axi_fifo #(.W(DW), .DEPTH(CD), .AB(CA)) cfifo (.clk(clk), .rst(rst),
        .wr_en(r_keep && h_c), .wr_data(r_data), .rd_valid(cf_v), .rd_data(cf_d), .rd_ready(cf_pop));
    wire wfi_ready, cfi_ready;
    assign wf_pop = wf_v && wfi_ready;
    assign cf_pop = cf_v && cfi_ready;
    always @(posedge clk) begin
        w_rel <= wf_pop && !rst;
        c_rel <= cf_pop && !rst;
    end
    wire wg_cmd_ready, cg_cmd_ready;
    assign wgq_pop = wgq_v && wg_cmd_ready;
    assign cgq_pop = cgq_v && cg_cmd_ready;
    fornax_gearbox #(.IW(DW), .OW(SL*8), .CW(32)) wgear (.clk(clk), .rst(rst),
        .cmd_valid(wgq_v), .cmd_ready(wg_cmd_ready), .cmd_skip(wgq_skip), .cmd_count(wgq_n),
        .in_valid(wf_v), .in_data(wf_d), .in_ready(wfi_ready),
        .out_valid(s_valid), .out_data(s_data), .out_ready(s_ready));
    fornax_gearbox #(.IW(DW), .OW(64), .CW(32)) cgear (.clk(clk), .rst(rst),
        .cmd_valid(cgq_v), .cmd_ready(cg_cmd_ready), .cmd_skip(cgq_skip), .cmd_count(cgq_n),
        .in_valid(cf_v), .in_data(cf_d), .in_ready(cfi_ready),
        .out_valid(k_valid), .out_data(k_data), .out_ready(k_ready));

    wire _unused_ok = &{1'b0, m_axi_rid, d_wn[39:32], d_cn[39:32], d_ce[39:32], d_cf[39:32], d_wb[39:16],
        d_cbyte[39:16], w_nlen[8], c_nlen[8], w_poff16[15:9], c_poff16[15:9]};
endmodule
