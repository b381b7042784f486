// Embedding (IntOps.embed): the token's int8 row arrives as weight beats, its input scale (M, k) on
// the row-constant stream; h_i = requant(E8[tok][i], M, k - 16) is written to the residual.
// One element per cycle.
module fornax_embed #(
    parameter integer LANES = 16,
    parameter integer D = 64,
    parameter integer EAW = 8
) (
    input wire clk,
    input wire rst,
    input wire start,
    output reg done,
    input wire w_valid,
    input wire [LANES*8-1:0] w_data,
    output wire w_ready,
    input wire c_valid,
    input wire [63:0] c_data,
    output wire c_ready,
    output reg h_we,
    output reg [EAW-1:0] h_waddr,
    output reg signed [31:0] h_wdata,
    output reg [6:0] h_maxbits
);
`include "fornax_fn.vh"

    localparam integer LAST_INT = D - 1;
    localparam [EAW-1:0] LAST = LAST_INT[EAW-1:0];
    localparam integer LAST_LANE_INT = LANES - 1;
    localparam [15:0] LAST_LANE = LAST_LANE_INT[15:0];
    localparam [1:0] E_IDLE = 2'd0, E_CONST = 2'd1, E_BEAT = 2'd2, E_DRAIN = 2'd3;
    reg [1:0] st;
    reg [63:0] cq;
    reg [LANES*8-1:0] beat;
    reg have;
    reg [EAW-1:0] i;                   // element index
    reg [15:0] lane;
    reg [3:0] drain;
    assign c_ready = (st == E_CONST);
    assign w_ready = (st == E_BEAT) && !have;

    reg iv;
    reg [EAW-1:0] itag;
    reg signed [7:0] wv;
    always @(posedge clk) begin
        iv <= 1'b0;
        done <= 1'b0;
        case (st)
            E_IDLE: if (start) begin
                st <= E_CONST;
                i <= {EAW{1'b0}};
                have <= 1'b0;
            end
            E_CONST: if (c_valid) begin
                cq <= c_data;
                st <= E_BEAT;
            end
            E_BEAT: begin
                if (!have) begin
                    if (w_valid) begin
                        beat <= w_data;
                        have <= 1'b1;
                        lane <= 16'd0;
                    end
                end else begin
                    iv <= 1'b1;
                    itag <= i;
                    wv <= beat[lane*8 +: 8];
                    i <= i + 1'b1;
                    lane <= lane + 16'd1;
                    if (i == LAST) begin
                        st <= E_DRAIN;
                        drain <= 4'd0;
                        have <= 1'b0;
                    end else if (lane == LAST_LANE) begin
                        have <= 1'b0;
                    end
                end
            end
            E_DRAIN: begin
                drain <= drain + 4'd1;
                if (drain == 4'd12) begin   // past the requantiser's latency (9)
                    done <= 1'b1;
                    st <= E_IDLE;
                end
            end
            default: st <= E_IDLE;
        endcase
        if (rst) begin
            st <= E_IDLE;
            done <= 1'b0;
            iv <= 1'b0;
        end
    end

    wire _unused_ok = &{1'b0, cq[63:28]};
    wire rq_v;
    wire signed [31:0] rq_y;
    wire [EAW-1:0] rq_tag;
    fornax_requant #(.TAG_W(EAW)) rq (
        .clk(clk), .rst(rst), .in_valid(iv), .acc({{40{wv[7]}}, wv}), .m({1'b0, cq[15:0]}),
        .sh(cq[27:16] - 12'sd16), .in_tag(itag), .out_valid(rq_v), .y(rq_y), .out_tag(rq_tag));
    always @(posedge clk) begin
        h_we <= rq_v && !rst;
        h_waddr <= rq_tag;
        h_wdata <= rq_y;
        if (start) h_maxbits <= 7'd0;
        else if (rq_v && fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y})) > h_maxbits)
            h_maxbits <= fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y}));
    end
endmodule
