# Schreier–Sims timings in GAP for the inputs of PermutationGroupTimingTests.swift.
# Usage: gap -q gap_bench.g   (or ./run.sh). GAP points are 1-based: 0-based point i is i+1.
# Each group is rebuilt from its generators three times (a fresh Group() each time,
# so no stabilizer chain is cached) and the best of three Size() times is printed.
BenchCycle := n -> PermList(Concatenation([2..n], [1]));
BenchSym := n -> [(1,2), BenchCycle(n)];
BenchHyp := n -> [(1, n+1), (1,2)(n+1,n+2), PermList(Concatenation([2..n], [1], [n+2..2*n], [n+1]))];
BenchSymSq := n -> Concatenation(BenchSym(n), [(n+1,n+2), PermList(Concatenation([1..n], [n+2..2*n], [n+1]))]);
rubik3 := [(1,3,8,6)(2,5,7,4)(9,33,25,17)(10,34,26,18)(11,35,27,19),
           (14,22,30,38)(15,23,31,39)(16,24,32,40)(41,43,48,46)(42,45,47,44),
           (1,17,41,40)(4,20,44,37)(6,22,46,35)(9,11,16,14)(10,13,15,12),
           (3,38,43,19)(5,36,45,21)(8,33,48,24)(25,27,32,30)(26,29,31,28),
           (6,25,43,16)(7,28,42,13)(8,30,41,11)(17,19,24,22)(18,21,23,20),
           (1,14,48,27)(2,12,47,29)(3,9,46,32)(33,35,40,38)(34,37,39,36)];
m24 := [(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23),
        (3,17,10,7,9)(4,13,14,19,5)(8,18,11,12,23)(15,20,22,21,16),
        (1,24)(2,23)(3,12)(4,16)(5,18)(6,10)(7,20)(8,14)(9,21)(11,17)(13,22)(15,19)];
cases := [["rubik3", rubik3, 43252003274489856000], ["M24", m24, 244823040],
          ["S_50", BenchSym(50), Factorial(50)], ["S_100", BenchSym(100), Factorial(100)],
          ["S_200", BenchSym(200), Factorial(200)],
          ["B_30 on 60 points", BenchHyp(30), 2^30 * Factorial(30)],
          ["S_40 x S_40 on 80 points", BenchSymSq(40), Factorial(40)^2]];
for c in cases do
  best := infinity;
  for k in [1..3] do
    t := Runtime();
    s := Size(Group(c[2]));
    t := Runtime() - t;
    if s <> c[3] then Error("wrong order for ", c[1]); fi;
    best := Minimum(best, t);
  od;
  Print("gap ", c[1], ": best of 3 ", best, " ms\n");
od;
QUIT;
