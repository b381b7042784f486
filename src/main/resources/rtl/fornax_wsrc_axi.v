// Weight source for --weights dram: P AXI4 read ports (fornax_axi_rport), each streaming its share
// of every matrix from its own region of the DRAM image, joined into the core's streams:
//   weight beat b (LANES bytes) = {slice of port P-1, ..., slice of port 0}, SL = LANES/P bytes each;
//   row constant r (64 bits) from port r mod P.
// So all ports stream at once, each an equal part of every matrix (by lane group), and the join
// waits for the slowest port: skew between ports is absorbed by their FIFOs. The core's requests
// (weight beats [wbase, wbase + nbeats), row constants [cbase, cbase + nrows)) queue up to 4 deep
// and every port works through them independently, so the next matrices are fetched while the
// current one is computed and through the vector ops in between (as far as the FIFOs reach).
// The outputs to the core and req_ready are registers.
//
// err / err_code: the first port's error (docs/HARDWARE.md); any error halts every port and stops
// the weight and constant streams (the core halts until rst).
module fornax_wsrc_axi #(
    parameter integer LANES = 64,
    parameter integer P = 1,                 // ports, a power of two dividing LANES
    parameter integer DW = 512,              // AXI data width per port, 64..1024
    parameter [39:0] C_OFF = 40'd4096,       // byte offset of the row constants in every region
    parameter integer BL = 64,               // longest burst, beats
    parameter integer BLC = 16,              // longest constant burst, beats
    parameter integer WD = 512,              // weight FIFO per port, AXI beats
    parameter integer CD = 64,               // constant FIFO per port, AXI beats
    parameter [3:0] ARCACHE = 4'b0011
) (
    input wire clk,
    input wire rst,
    input wire [64*P-1:0] base,              // port i's region at base[64*i +: 64]
    input wire req_valid,
    output reg req_ready,
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
    // the ports' AXI4 read channels, port i's signals at [i*W +: W]
    output wire [64*P-1:0] m_axi_araddr,
    output wire [8*P-1:0] m_axi_arlen,
    output wire [3*P-1:0] m_axi_arsize,
    output wire [2*P-1:0] m_axi_arburst,
    output wire [P-1:0] m_axi_arid,
    output wire [3*P-1:0] m_axi_arprot,
    output wire [4*P-1:0] m_axi_arcache,
    output wire [4*P-1:0] m_axi_arqos,
    output wire [P-1:0] m_axi_arlock,
    output wire [P-1:0] m_axi_arvalid,
    input wire [P-1:0] m_axi_arready,
    input wire [DW*P-1:0] m_axi_rdata,
    input wire [2*P-1:0] m_axi_rresp,
    input wire [P-1:0] m_axi_rlast,
    input wire [P-1:0] m_axi_rid,
    input wire [P-1:0] m_axi_rvalid,
    output wire [P-1:0] m_axi_rready,
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
    localparam integer SL = LANES / P;       // bytes of a weight beat per port
    localparam integer PS = (P > 1) ? clog2(P) : 1;
    localparam integer NC = P + 1;           // queue readers: the ports and the constant join
    localparam integer PM = P - 1;
    localparam [PS-1:0] PMASK = PM[PS-1:0];

    // ------------------------------------------------------------------ request queue (4 deep)
    reg [31:0] q_wbase [0:3];
    reg [31:0] q_nbeats [0:3];
    reg [31:0] q_cbase [0:3];
    reg [31:0] q_nrows [0:3];
    reg [2:0] q_wp;
    reg [3*NC-1:0] q_rp;                     // reader c's pointer at [3*c +: 3]
    wire [NC-1:0] q_pop;
    wire push = req_valid && req_ready;
    reg room;
    integer c, c2;
    always @(*) begin
        room = 1'b1;
        for (c = 0; c < NC; c = c + 1)
            if (q_wp - q_rp[3*c +: 3] > 3'd2) room = 1'b0;
    end
    always @(posedge clk) begin
        if (push) begin
            q_wbase[q_wp[1:0]] <= req_wbase;
            q_nbeats[q_wp[1:0]] <= req_nbeats;
            q_cbase[q_wp[1:0]] <= req_cbase;
            q_nrows[q_wp[1:0]] <= req_nrows;
            q_wp <= q_wp + 3'd1;
        end
        for (c2 = 0; c2 < NC; c2 = c2 + 1)
            if (q_pop[c2]) q_rp[3*c2 +: 3] <= q_rp[3*c2 +: 3] + 3'd1;
        // a free entry after this cycle's push, whatever the readers do (req_ready is a register)
        req_ready <= room && !rst;
        if (rst) begin
            q_wp <= 3'd0;
            q_rp <= {(3*NC){1'b0}};
            req_ready <= 1'b0;
        end
    end

    // ------------------------------------------------------------------ ports
    wire [P-1:0] s_valid, k_valid, p_err;
    wire [SL*8*P-1:0] s_data;
    wire [64*P-1:0] k_data;
    wire [8*P-1:0] p_code;
    wire [P-1:0] k_ready;
    wire s_ready;
    genvar gp;
    generate
        for (gp = 0; gp < P; gp = gp + 1) begin : g_port
            wire [2:0] rp = q_rp[3*gp +: 3];
            wire rq_valid = q_wp != rp;
            wire rq_ready;
            assign q_pop[gp] = rq_valid && rq_ready;
            fornax_axi_rport #(.P(P), .PORT(gp), .DW(DW), .SL(SL), .C_OFF(C_OFF), .BL(BL), .BLC(BLC), .WD(WD), .CD(CD),
                .ARCACHE(ARCACHE)) port (
                .clk(clk), .rst(rst), .base(base[64*gp +: 64]), .halt(err),
                .rq_valid(rq_valid), .rq_ready(rq_ready),
                .rq_wbase(q_wbase[rp[1:0]]), .rq_nbeats(q_nbeats[rp[1:0]]),
                .rq_cbase(q_cbase[rp[1:0]]), .rq_nrows(q_nrows[rp[1:0]]),
                .s_valid(s_valid[gp]), .s_data(s_data[SL*8*gp +: SL*8]), .s_ready(s_ready),
                .k_valid(k_valid[gp]), .k_data(k_data[64*gp +: 64]), .k_ready(k_ready[gp]),
                .m_axi_araddr(m_axi_araddr[64*gp +: 64]), .m_axi_arlen(m_axi_arlen[8*gp +: 8]),
                .m_axi_arsize(m_axi_arsize[3*gp +: 3]), .m_axi_arburst(m_axi_arburst[2*gp +: 2]),
                .m_axi_arid(m_axi_arid[gp +: 1]), .m_axi_arprot(m_axi_arprot[3*gp +: 3]),
                .m_axi_arcache(m_axi_arcache[4*gp +: 4]), .m_axi_arqos(m_axi_arqos[4*gp +: 4]),
                .m_axi_arlock(m_axi_arlock[gp]), .m_axi_arvalid(m_axi_arvalid[gp]),
                .m_axi_arready(m_axi_arready[gp]), .m_axi_rdata(m_axi_rdata[DW*gp +: DW]),
                .m_axi_rresp(m_axi_rresp[2*gp +: 2]), .m_axi_rlast(m_axi_rlast[gp]), .m_axi_rid(m_axi_rid[gp +: 1]),
                .m_axi_rvalid(m_axi_rvalid[gp]), .m_axi_rready(m_axi_rready[gp]),
                .err(p_err[gp]), .err_code(p_code[8*gp +: 8]));
        end
    endgenerate

    // ------------------------------------------------------------------ error status
    // the lowest port's code when the first error appears
    reg [7:0] first_code;
    integer e;
    always @(*) begin
        first_code = 8'd0;
        for (e = P - 1; e >= 0; e = e - 1)
            if (p_err[e]) first_code = p_code[8*e +: 8];
    end
    always @(posedge clk) begin
        if (!err && p_err != {P{1'b0}}) begin
            err <= 1'b1;
            err_code <= first_code;
        end
        if (rst) begin
            err <= 1'b0;
            err_code <= 8'd0;
        end
    end

    // ------------------------------------------------------------------ weight join
    wire wj_ready;
    wire wj_valid = (&s_valid) && !err;
    assign s_ready = wj_valid && wj_ready;
    fornax_skid #(.W(LANES*8)) wskid (.clk(clk), .rst(rst),
        .in_valid(wj_valid), .in_data(s_data), .in_ready(wj_ready),
        .out_valid(w_valid), .out_data(w_data), .out_ready(w_ready));

    // ------------------------------------------------------------------ constant join
    // row r of a request comes from port r mod P: a pointer that starts at cbase mod P
    wire [2:0] jrp = q_rp[3*P +: 3];
    reg cj_act;
    reg [PS-1:0] cj_sel;
    reg [31:0] cj_left;
    wire cj_ready;
    wire cj_valid = cj_act && k_valid[cj_sel] && !err;
    wire cj_fire = cj_valid && cj_ready;
    assign q_pop[P] = !cj_act && q_wp != jrp && !rst;
    genvar gk;
    generate
        for (gk = 0; gk < P; gk = gk + 1) begin : g_kready
            assign k_ready[gk] = cj_fire && cj_sel == gk;
        end
    endgenerate
    always @(posedge clk) begin
        if (q_pop[P]) begin
            cj_act <= q_nrows[jrp[1:0]] != 32'd0;
            cj_sel <= q_cbase[jrp[1:0]][PS-1:0] & PMASK;
            cj_left <= q_nrows[jrp[1:0]];
        end
        if (cj_fire) begin
            cj_sel <= (cj_sel + 1'b1) & PMASK;
            cj_left <= cj_left - 32'd1;
            if (cj_left == 32'd1) cj_act <= 1'b0;
        end
        if (rst) cj_act <= 1'b0;
    end
    fornax_skid #(.W(64)) cskid (.clk(clk), .rst(rst),
        .in_valid(cj_valid), .in_data(k_data[64*cj_sel +: 64]), .in_ready(cj_ready),
        .out_valid(c_valid), .out_data(c_data), .out_ready(c_ready));
endmodule
