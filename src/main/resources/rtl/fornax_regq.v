// Two-entry register FIFO for commands (show-ahead: dout is the oldest entry while valid).
module fornax_regq #(
    parameter integer W = 32
) (
    input wire clk,
    input wire rst,
    input wire push,                         // only while !full
    input wire [W-1:0] din,
    output wire full,
    output wire valid,
    output wire [W-1:0] dout,
    input wire pop                           // only while valid
);
    reg [W-1:0] e0, e1;
    reg [1:0] n;
    assign full = n == 2'd2;
    assign valid = n != 2'd0;
    assign dout = e0;
    always @(posedge clk) begin
        if (pop) e0 <= e1;
        if (push) begin
            if (n == 2'd0 || (n == 2'd1 && pop)) e0 <= din;
            else e1 <= din;
        end
        n <= n + {1'b0, push} - {1'b0, pop};
        if (rst) n <= 2'd0;
    end
endmodule
