/// The fixed Python every emitted PyTorch module carries (after the header and before the
/// classes): the safetensors reader, the seeded SplitMix64 stream of the Swift code, the
/// partition-diagram helpers of the S_n closed forms (add_diagram, and the fused form's plan and
/// product), the equivariant activation of networks and
/// the relative error of the equivariance check. The module imports torch and the standard
/// library's `json` and `os` only.
enum PyTorchSupport {
    /// Largest array printed into the module as a literal; larger ones (and every basis array of
    /// the tied, dense and factored strategies) go to the `.safetensors` file beside it.
    static let maximumEmbeddedEntries = 4096

    static let imports = """
        import json
        import os

        import torch
        import torch.nn.functional as F
        """

    /// `_load_constants(embedded, file_name)` and the helpers every class uses.
    static let helpers = #"""
        _MASK64 = (1 << 64) - 1


        class SplitMix64:
            """SplitMix64 (Steele, Lea and Flood 2014): the same stream as the Swift code's seeded
            initializer (`_SplitMix64`, `RuntimeRandom`) for the same 64-bit seed."""

            def __init__(self, seed):
                self.state = int(seed) & _MASK64

            def next(self):
                self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK64
                z = self.state
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
                return z ^ (z >> 31)

            def unit(self):
                """Uniform in [0, 1): the top 53 bits, as the Swift `unit()`."""
                return (self.next() >> 11) * 2.0 ** -53


        def seeded_weights(seed, count, bound):
            """theta ~ U(-a, a) drawn as the Swift code draws it: Float((unit * 2 - 1) * a) per value."""
            rng = SplitMix64(seed)
            values = [(rng.unit() * 2 - 1) * bound for _ in range(count)]
            return torch.tensor(values, dtype=torch.float64).to(torch.float32)


        def parameter(module, name, value):
            """A trainable parameter, or an empty non-persistent buffer when there is nothing to train
            (so DistributedDataParallel sees no parameter without a gradient)."""
            if value.numel() > 0:
                setattr(module, name, torch.nn.Parameter(value))
            else:
                module.register_buffer(name, value, persistent=False)


        def layer_seed(seed, index):
            """Seed of layer `index` (0-based) of a network: seed + index * 0x9E3779B97F4A7C15 mod 2^64."""
            return (int(seed) + index * 0x9E3779B97F4A7C15) & _MASK64


        _SAFETENSORS_DTYPES = {"F64": torch.float64, "F32": torch.float32, "I64": torch.int64, "I8": torch.int8}


        def read_safetensors(path):
            """The tensors of a safetensors file: an 8-byte little-endian header length, a JSON header,
            raw little-endian bytes."""
            with open(path, "rb") as f:
                data = f.read()
            if len(data) < 8:
                raise ValueError(f"{path} is not a safetensors file (shorter than its 8-byte header length)")
            n = int.from_bytes(data[:8], "little")
            header = json.loads(data[8:8 + n].decode("utf-8"))
            base = 8 + n
            tensors = {}
            for name, info in header.items():
                if name == "__metadata__":
                    continue
                dtype = _SAFETENSORS_DTYPES[info["dtype"]]
                start, end = info["data_offsets"]
                if end > start:
                    t = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=dtype)
                else:
                    t = torch.empty(0, dtype=dtype)
                tensors[name] = t.reshape(info["shape"])
            return tensors, header.get("__metadata__", {})


        def load_constants(embedded, file_name, fingerprint):
            """The module's constants: the literals below and, when `file_name` is set, the
            .safetensors file beside this module (checked against `fingerprint`). Signs become float64."""
            constants = {}
            for name, (kind, values) in embedded.items():
                if kind == "int":
                    constants[name] = torch.tensor(values, dtype=torch.int64)
                elif kind == "fraction":
                    constants[name] = torch.tensor([n / d for n, d in zip(*values)], dtype=torch.float64)
                else:
                    constants[name] = torch.tensor(values, dtype=torch.float64)
            if file_name is not None:
                path = os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)
                if not os.path.exists(path):
                    raise FileNotFoundError(
                        f"{path} is missing: the basis file is written beside the module by "
                        f"`archsynth generate ... --target pytorch`; copy it with the .py file or regenerate both")
                tensors, metadata = read_safetensors(path)
                if metadata.get("fingerprint") != fingerprint:
                    raise ValueError(
                        f"{path} belongs to another generated module (fingerprint {metadata.get('fingerprint')!r}, "
                        f"expected {fingerprint!r}); regenerate the .py and .safetensors files together")
                for name, t in tensors.items():
                    constants[name] = t.to(torch.float64) if t.dtype == torch.int8 else t
            return constants


        def class_matrix(constants, name, count):
            """The dense (entries x count) float64 matrix M of a layer's entries as linear forms in its
            parameters, expanded once from the classes: row e is sign[e] * R[index[e]], R the rows
            `name + "Rows"` or, for a tying table, the identity with a zero row appended. Exact."""
            index = constants[name + "Index"]
            if name + "Rows" in constants:
                r = constants[name + "Rows"].view(-1, count)
            else:
                r = torch.cat([torch.eye(count, dtype=torch.float64), torch.zeros(1, count, dtype=torch.float64)])
            m = r[index]
            if name + "Sign" in constants:
                m = m * constants[name + "Sign"][:, None]
            return m.contiguous()


        def relative_error(a, b):
            """||a - b|| / max(||a||, ||b||) per row of two batches, 0 where both vanish."""
            diff = torch.linalg.vector_norm(a - b, dim=-1)
            scale = torch.maximum(torch.linalg.vector_norm(a, dim=-1), torch.linalg.vector_norm(b, dim=-1))
            return torch.where(scale > 0, diff / torch.where(scale > 0, scale, torch.ones_like(scale)), torch.zeros_like(scale))


        def add_diagram(y, x, x64, n, in_parts, out_parts, coefficient):
            """y += coefficient * D x for one partition diagram D of S_n acting naturally; x is a batch
            (B, n**k), y (B, n**l), slots of the same part carry equal indices: parts with input
            slots only are summed (pooled), parts with output slots only are broadcast. Pools of
            a lower precision are summed from x64 (float64) and rounded once, so a permuted input
            pools to the same value (the order of a float32 sum would otherwise show)."""
            batch = x.shape[0]
            letters = "ijkl"
            mixed = []
            for p in out_parts:
                if p in in_parts and p not in mixed:
                    mixed.append(p)
            pooled = any(p not in out_parts for p in in_parts)
            source = x64 if pooled and x64 is not None else x
            t = torch.einsum(
                "z" + "".join(letters[p] for p in in_parts) + "->z" + "".join(letters[p] for p in mixed),
                source.reshape((batch,) + (n,) * len(in_parts))).to(x.dtype) * coefficient
            out = y.view((batch,) + (n,) * len(out_parts))
            if len(out_parts) == 0:
                out += t
            elif len(out_parts) == 1:
                out += t if out_parts[0] in mixed else t[:, None]
            else:
                p, q = out_parts
                if p == q:
                    out.diagonal(dim1=1, dim2=2).add_(t if p in mixed else t[:, None])
                elif p in mixed and q in mixed:
                    out += t
                elif p in mixed:
                    out += t[:, :, None]
                elif q in mixed:
                    out += t[:, None, :]
                else:
                    out += t[:, None, None]



        def closed_form_plan(n, input_blocks, output_blocks, diagrams):
            """The fused form of an S_n closed form from its partition diagrams (the encoding of
            add_diagram; blocks are (offset, rank)). A diagram whose output and input slots share two
            parts is a pair term y_block += phi x_block (or its n x n transpose); every other diagram
            reads one statistic of its input block (the value; x or its sum; X's diagonal, row sums,
            column sums, trace or total: a vector of n or a scalar) and places it in its output block
            (a scalar; a vector; the diagonal, rows or columns of an n x n block; scalars broadcast).
            Returns (width, pool, entries, pairs): the statistics are s = x P with P the 0/1 (d_in x width)
            matrix given as (input coordinate, column) pairs in pool, and y = s H + the pair terms, H
            (width x d_out) with entry (column * d_out + output coordinate) += phi[q] for (position, q)
            in entries; pairs lists (output offset, input offset, transposed, q)."""
            columns = {}
            pool = []
            width = 0
            entries = []
            pairs = []
            for q, (ob, ib, out_parts, in_parts) in enumerate(diagrams):
                oo, out_rank = output_blocks[ob]
                io, in_rank = input_blocks[ib]
                mixed = [p for p in out_parts if p in in_parts]
                if len(set(mixed)) == 2 and in_rank == 2:
                    pairs.append((oo, io, tuple(in_parts) != tuple(out_parts), q))
                    continue
                if in_rank == 0:
                    kind = "value"
                elif in_rank == 1:
                    kind = "x" if mixed else "sum"
                elif in_parts[0] == in_parts[1]:
                    kind = "diagonal" if mixed else "trace"
                else:
                    kind = "rows" if in_parts[0] in mixed else "columns" if in_parts[1] in mixed else "total"
                if (ib, kind) not in columns:
                    # Column c of the statistic sums these input coordinates.
                    cells = {
                        "value": lambda: [[io]], "x": lambda: [[io + i] for i in range(n)],
                        "sum": lambda: [list(range(io, io + n))],
                        "diagonal": lambda: [[io + i * n + i] for i in range(n)],
                        "trace": lambda: [[io + j * n + j for j in range(n)]],
                        "rows": lambda: [[io + i * n + j for j in range(n)] for i in range(n)],
                        "columns": lambda: [[io + j * n + i for j in range(n)] for i in range(n)],
                        "total": lambda: [list(range(io, io + n * n))],
                    }[kind]()
                    columns[(ib, kind)] = width
                    for c, rows in enumerate(cells):
                        pool += [(r, width + c) for r in rows]
                    width += len(cells)
                first = columns[(ib, kind)]
                vector = len(mixed) > 0
                if out_rank == 0:
                    placed = [(0, oo)]
                elif out_rank == 1:
                    placed = [(i, oo + i) for i in range(n)]
                elif out_parts[0] == out_parts[1]:
                    placed = [(i, oo + i * n + i) for i in range(n)]
                elif out_parts[1] in mixed:
                    placed = [(j, oo + i * n + j) for i in range(n) for j in range(n)]
                else:
                    placed = [(i, oo + i * n + j) for i in range(n) for j in range(n)]
                entries += [((first + i if vector else first), m, q) for i, m in placed]
            return width, pool, entries, pairs


        def fused_closed_form(constants, n, input_blocks, input_ranks, output_blocks, output_ranks, diagrams, weight_count):
            """Builds the fused closed form at construction: closed_form_plan, then the pool P
            (fusedPool, float64), the forms in theta of H's nonzero entries and of the pair coefficients
            (fusedForms: rows of the exact phi = C theta, so c = fusedForms theta) and the positions of
            H's entries (fusedPositions) in `constants`. Returns the plan ClosedFormProduct takes."""
            width, pool, entries, pairs = closed_form_plan(
                n, [(o, r) for (o, _), r in zip(input_blocks, input_ranks)],
                [(o, r) for (o, _), r in zip(output_blocks, output_ranks)], diagrams)
            d_in, d_out = sum(m for _, m in input_blocks), sum(m for _, m in output_blocks)
            p = torch.zeros(d_in, width, dtype=torch.float64)
            if pool:
                p[torch.tensor([r for r, _ in pool]), torch.tensor([c for _, c in pool])] = 1.0
            phi = torch.zeros(len(diagrams), weight_count, dtype=torch.float64)
            phi.index_put_((constants["changeRow"], constants["changeColumn"]), constants["changeValue"], accumulate=True)
            rows = torch.tensor([q for _, _, q in entries] + [q for _, _, _, q in pairs], dtype=torch.int64)
            constants["fusedPool"] = p
            constants["fusedForms"] = phi[rows]
            constants["fusedPositions"] = torch.tensor([c * d_out + m for c, m, _ in entries], dtype=torch.int64)
            return n, [t[:3] for t in pairs], (width, d_out)


        class ClosedFormProduct(torch.autograd.Function):
            """y = bias + (x P) H + sum_t c_t X_t for an S_n closed form (closed_form_plan): c holds H's
            nonzero entries then the pair coefficients; X_t is an n x n input block, maybe transposed.
            The statistics x P are summed in float64 (pool64) and rounded once, so a permuted input
            pools to the same values (pool is P in x's dtype, for dL/dx). Written out (not left to
            autograd) so the step is a handful of calls whatever the number of diagrams; the backward
            returns dL/dx (when asked), dL/dc and dL/dbias."""

            @staticmethod
            def forward(ctx, x, c, bias, pool64, pool, positions, plan):
                n, pairs, shape = plan
                x = x.contiguous()
                s = x.to(torch.float64) @ pool64 if x.dtype != torch.float64 else x @ pool64
                s = s.to(x.dtype)
                nonzero = positions.numel()
                h = torch.zeros(shape[0] * shape[1], dtype=x.dtype, device=x.device).index_add_(0, positions, c[:nonzero]).view(shape)
                y = torch.addmm(bias, s, h)
                for t, (o, i, transposed) in enumerate(pairs):
                    xb = x[:, i:i + n * n].view(-1, n, n)
                    y[:, o:o + n * n].view(-1, n, n).addcmul_(xb.transpose(1, 2) if transposed else xb, c[nonzero + t])
                ctx.save_for_backward(x, c, s, h, pool, positions)
                ctx.plan = plan
                return y

            @staticmethod
            @torch.autograd.function.once_differentiable
            def backward(ctx, g):
                x, c, s, h, pool, positions = ctx.saved_tensors
                n, pairs, _ = ctx.plan
                g = g.contiguous()
                nonzero = positions.numel()
                grads = [(s.t() @ g).view(-1).index_select(0, positions)]
                gx = (g @ h.t()) @ pool.t() if ctx.needs_input_grad[0] else None
                for t, (o, i, transposed) in enumerate(pairs):
                    gb = g[:, o:o + n * n].view(-1, n, n)
                    xb = x[:, i:i + n * n].view(-1, n, n)
                    grads.append(torch.sum(gb * (xb.transpose(1, 2) if transposed else xb)).view(1))
                    if gx is not None:
                        gx[:, i:i + n * n].view(-1, n, n).addcmul_(gb.transpose(1, 2) if transposed else gb, c[nonzero + t])
                return gx, torch.cat(grads), g.sum(0), None, None, None, None

        class ConstantsMixin:
            """Constants as tensors of the input's dtype (floating ones; or `dtype`) and device, made
            once per dtype and device and kept outside the state dict (they are not parameters)."""

            def _const(self, name, like, dtype=None):
                dtype = like.dtype if dtype is None else dtype
                key = (name, dtype, like.device)
                cache = self.__dict__.setdefault("_constant_cache", {})
                t = cache.get(key)
                if t is None:
                    t = self._constants[name]
                    t = t.to(device=like.device, dtype=dtype if t.is_floating_point() else t.dtype)
                    cache[key] = t
                return t

            def _act(self, side, g, x):
                """rho(g) applied to each row of x (column vectors; 0-based coordinates)."""
                if not 0 <= g < len(self.generator_names):
                    raise ValueError(f"generator index {g} out of range 0..<{len(self.generator_names)}")
                d = x.shape[-1]
                if side + "Images" in self._constants:
                    images = self._const(side + "Images", x).view(-1, d)[g]
                    v = x * self._const(side + "Signs", x).view(-1, d)[g] if side + "Signs" in self._constants else x
                    return torch.zeros_like(x).index_copy(x.dim() - 1, images, v)
                m = self._const(side + "Matrices", x).view(-1, d, d)[g]
                return x @ m.T

            def act_on_input(self, g, x):
                """rho_in(generator g) on each row of x."""
                return self._act("input", g, x)

            def act_on_output(self, g, y):
                """rho_out(generator g) on each row of y."""
                return self._act("output", g, y)

            @torch.no_grad()
            def equivariance_error(self, seed=0, trials=8):
                """The worst relative error ||f(rho_in(g) x) - rho_out(g) f(x)|| / max(...) over every
                generator and one random word of generators per trial, on uniform inputs in [-1, 1),
                in the parameters' dtype (the Swift `equivarianceError(seed:trials:)`)."""
                first = next(iter(list(self.parameters()) + [torch.zeros(0)]))
                dtype, device = first.dtype, first.device
                rng = SplitMix64(seed)
                k = len(self.generator_names)
                worst = 0.0
                for _ in range(max(0, trials)):
                    x = torch.tensor([[rng.unit() * 2 - 1 for _ in range(self.input_dimension)]], dtype=torch.float64)
                    xs = [x]
                    for g in range(k):
                        xs.append(self.act_on_input(g, x))
                    word = []
                    if k > 0:
                        for _ in range(2 + rng.next() % 7):
                            word.append(rng.next() % k)
                        wx = x
                        for g in word:
                            wx = self.act_on_input(g, wx)
                        xs.append(wx)
                    fx = self(torch.cat(xs).to(device=device, dtype=dtype)).to(device="cpu", dtype=torch.float64)
                    for g in range(k):
                        worst = max(worst, relative_error(fx[1 + g], self.act_on_output(g, fx[0:1])[0]).item())
                    if k > 0:
                        wfx = fx[0:1]
                        for g in word:
                            wfx = self.act_on_output(g, wfx)
                        worst = max(worst, relative_error(fx[-1], wfx[0]).item())
                return worst

            @torch.no_grad()
            def set_parameters(self, weights, bias):
                """Sets theta (`weight_count` values) and the bias coordinates (`bias_count` values)."""
                weights = torch.as_tensor(weights, dtype=torch.float64).reshape(-1)
                bias = torch.as_tensor(bias, dtype=torch.float64).reshape(-1)
                if weights.numel() != self.weight_count or bias.numel() != self.bias_count:
                    raise ValueError(
                        f"expected {self.weight_count} weights and {self.bias_count} biases, "
                        f"got {weights.numel()} and {bias.numel()}")
                self._set_flat(weights, bias)

            def _check_input(self, x):
                if x.dim() != 2 or x.shape[1] != self.input_dimension:
                    raise ValueError(
                        f"{type(self).__name__} takes a (batch, {self.input_dimension}) tensor, got shape {tuple(x.shape)}")
        """#

    /// The equivariant nonlinearity of networks (the Swift runtime's `EquivariantActivation`).
    static let activation = #"""


        class EquivariantActivation(torch.nn.Module):
            """ReLU on `relu` coordinates (permutation blocks), tanh on `tanh` coordinates (signed-
            permutation blocks) and x_B * sigmoid(||x_B|| + b_B) on each norm block B (orthogonal
            blocks, whose norm is invariant) with gate bias b_B. Law: commutes with the hidden
            representation it was planned for."""

            def __init__(self, dimension, relu, tanh, norm_blocks):
                super().__init__()
                self.dimension = dimension
                self._relu = torch.tensor(relu, dtype=torch.int64)
                self._tanh = torch.tensor(tanh, dtype=torch.int64)
                self._norm = torch.tensor([i for b in norm_blocks for i in b], dtype=torch.int64)
                self._block = torch.tensor([j for j, b in enumerate(norm_blocks) for _ in b], dtype=torch.int64)
                self.gate_count = len(norm_blocks)

            def forward(self, z, gates):
                dev = z.device
                y = z
                if self._relu.numel() > 0:
                    i = self._relu.to(dev)
                    y = y.index_copy(1, i, torch.relu(z[:, i]))
                if self._tanh.numel() > 0:
                    i = self._tanh.to(dev)
                    y = y.index_copy(1, i, torch.tanh(z[:, i]))
                if self.gate_count > 0:
                    i, b = self._norm.to(dev), self._block.to(dev)
                    v = z[:, i]
                    r2 = torch.zeros(z.shape[0], self.gate_count, dtype=z.dtype, device=dev).index_add(1, b, v * v)
                    # sqrt at 0 has no derivative: the clamp gives the Swift backward's 0 there.
                    r = torch.sqrt(r2.clamp_min(torch.finfo(z.dtype).tiny))
                    s = torch.sigmoid(r + gates)
                    y = y.index_copy(1, i, v * s[:, b])
                return y
        """#
}
