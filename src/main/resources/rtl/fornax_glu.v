// GLU product (IntOps.glu): a = act(gate) and up are each brought to BFP15 with shifts sa, su (from
// the maxima tracked as they were written), then p_i = am_i * um_i -> x with exponent
// (sa - 16) + (su - 16); toBfp(p, 15) is applied by the matrix engine as it reads x.
// Reads a_i and u_i through two scratch ports, one element per cycle (pipeline below).
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
    output wire [6:0] x_maxbits,
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

    // element pipeline (cycle after the read): 1 words arrive, registered  2 z = 2w >>> s
    // 3 m = clampSym((z + 1) >>> 1, 15)  4, 5 am*um (DSP M, P)  6 P out  7 x written (maxbits
    // tracked; done with the last write)
    localparam integer EL = 7;
    reg [EL-1:1] v_sr, l_sr;
    reg [EAW-1:0] a_sr [1:EL-1];
    integer k;
    always @(posedge clk) begin
        v_sr <= {v_sr[EL-2:1], run} & {(EL-1){!rst}};
        l_sr <= {l_sr[EL-2:1], run && (i == LAST)};
        a_sr[1] <= i;
        for (k = 2; k < EL; k = k + 1) a_sr[k] <= a_sr[k-1];
    end
    reg signed [31:0] ra2, ru2;
    reg signed [32:0] za3, zu3;
    reg signed [15:0] am4, um4;
    reg signed [31:0] prod5, prod6;
    wire [5:0] sa_c = (sa_q > 7'd33) ? 6'd33 : sa_q[5:0];
    wire [5:0] su_c = (su_q > 7'd33) ? 6'd33 : su_q[5:0];
    always @(posedge clk) begin
        ra2 <= sa_rdata;
        ru2 <= sb_rdata;
        za3 <= $signed({ra2, 1'b0}) >>> sa_c;
        zu3 <= $signed({ru2, 1'b0}) >>> su_c;
        am4 <= fn_rndclamp15(za3);
        um4 <= fn_rndclamp15(zu3);
        prod5 <= am4 * um4;
        prod6 <= prod5;
        x_we <= v_sr[EL-1] && !rst;
        x_waddr <= a_sr[EL-1];
        x_wdata <= prod6;
        done <= v_sr[EL-1] && l_sr[EL-1] && !rst;
    end
    fornax_maxbits #(.W(32)) mb_x (.clk(clk), .clear(start), .in_valid(x_we), .val(x_wdata),
        .mbits_o(x_maxbits));

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
