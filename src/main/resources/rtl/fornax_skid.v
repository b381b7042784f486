// Register slice with a skid buffer: out_valid/out_data and in_ready are all registers, so neither
// side sees a combinational path through it, and it passes one word per cycle while out_ready
// stays high. When out_ready drops, the word in flight waits in the skid register.
module fornax_skid #(
    parameter integer W = 64
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire [W-1:0] in_data,
    output reg in_ready,
    output reg out_valid,
    output reg [W-1:0] out_data,
    input wire out_ready
);
    reg sk_v;
    reg [W-1:0] sk_d;
    wire accept = in_valid && in_ready;
    wire move = !out_valid || out_ready;     // the output register takes a word
    wire sk_next = move ? 1'b0 : (sk_v || accept);
    always @(posedge clk) begin
        if (move) begin
            out_valid <= sk_v || accept;
            out_data <= sk_v ? sk_d : in_data;
        end else if (accept) begin
            sk_d <= in_data;
        end
        sk_v <= sk_next;
        in_ready <= !sk_next;
        if (rst) begin
            out_valid <= 1'b0;
            sk_v <= 1'b0;
            in_ready <= 1'b0;
        end
    end
endmodule
