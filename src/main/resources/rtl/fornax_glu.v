// GLU product (IntOps.glu): a = act(gate) and up are each brought to BFP15 with shifts sa, su (from
// the maxima tracked as they were written), then p_i = am_i * um_i -> x with exponent
// (sa - 16) + (su - 16); toBfp(p, 15) is applied by the matrix engine as it reads x.
// Reads a_i and u_i through two scratch ports, one element per cycle.
module fornax_glu #(
    parameter integer N = 172,
    parameter integer SAW = 9,
    parameter integer EAW = 8,
    parameter integer AOFF = 0,
    parameter integer UOFF = 172
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [6:0] sa,
    input wire [6:0] su,
    output reg done,
    output wire [SAW-1:0] sa_raddr,
    input wire signed [31:0] sa_rdata,
    output wire [SAW-1:0] sb_raddr,
    input wire signed [31:0] sb_rdata,
    output reg x_we,
    output reg [EAW-1:0] x_waddr,
    output reg signed [31:0] x_wdata,
    output reg [6:0] x_maxbits,
    output wire signed [11:0] x_exp
);
`include "fornax_fn.vh"

    localparam integer LAST_INT = N - 1;
    localparam [EAW-1:0] LAST = LAST_INT[EAW-1:0];
    reg run;
    reg [EAW-1:0] i;
    reg [6:0] sa_q, su_q;
    assign sa_raddr = AOFF[SAW-1:0] + {{(SAW-EAW){1'b0}}, i};
    assign sb_raddr = UOFF[SAW-1:0] + {{(SAW-EAW){1'b0}}, i};
    assign x_exp = {5'd0, sa_q} + {5'd0, su_q} - 12'sd32;

    reg v1, v2, last1, last2;
    reg [EAW-1:0] a1, a2;
    reg signed [15:0] am2, um2;
    wire signed [63:0] ra = fn_rshr64({{32{sa_rdata[31]}}, sa_rdata}, sa_q);
    wire signed [63:0] ru = fn_rshr64({{32{sb_rdata[31]}}, sb_rdata}, su_q);
    wire signed [31:0] prod = am2 * um2;
    always @(posedge clk) begin
        v1 <= run && !rst;
        last1 <= run && (i == LAST);
        a1 <= i;
        v2 <= v1 && !rst;
        last2 <= last1;
        a2 <= a1;
        am2 <= fn_clamp15(ra);
        um2 <= fn_clamp15(ru);
        x_we <= v2 && !rst;
        x_waddr <= a2;
        x_wdata <= prod;
        done <= v2 && last2 && !rst;
        if (v2 && fn_ulen64(fn_abs64({{32{prod[31]}}, prod})) > x_maxbits)
            x_maxbits <= fn_ulen64(fn_abs64({{32{prod[31]}}, prod}));
        if (start) x_maxbits <= 7'd0;
    end

    always @(posedge clk) begin
        if (start) begin
            run <= 1'b1;
            i <= {EAW{1'b0}};
            sa_q <= sa;
            su_q <= su;
        end else if (run) begin
            i <= i + 1'b1;
            if (i == LAST) run <= 1'b0;
        end
        if (rst) run <= 1'b0;
    end
endmodule
