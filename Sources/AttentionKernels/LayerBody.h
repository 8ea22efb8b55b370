// The attention layer's loss and gradient for one prompt, written once and compiled for two
// value types: AttentionKernels.c includes this file twice, for one prompt (LAYER_VALUE double,
// helpers vectorised over the tokens) and for eight prompts side by side (LAYER_VALUE v8d, one
// prompt per lane, helpers that emulate the one-prompt helpers' order in every lane). One text
// for both is what keeps them the same algorithm; their bit-identity is tested.
//
// Before including, define LAYER_NAME (the function), LAYER_VALUE, LAYER_SPLAT(x) (a constant
// as a value), LAYER_CHOOSE(condition, yes, no) (lane-wise condition ? yes : no), and the
// helpers LAYER_COMBINE, LAYER_RANGE, LAYER_EXP_SUM, LAYER_DOT, LAYER_RESIDUAL_FORM with the
// signatures of combine, range, exp_sum, dot and residual_form. They are undefined at the end.
//
// LAYER_NAME(p, x, stride, mu, scratch, vectors, contribution): coordinate a of token k at
// x[a * stride + k]; mu has p->latent values; scratch 3 p->length values; vectors 4 p->latent
// (T is left in vectors[0 ..< latent]). Returns ||x_1 - T||^2 and, when `contribution` is set,
// writes the gradient in mu there. The derivation is in Sources/AttentionModels/AttentionLayer.swift.

KERNEL LAYER_VALUE LAYER_NAME(const attention_prompt *p, const LAYER_VALUE *x, ptrdiff_t stride, const LAYER_VALUE *mu,
                              LAYER_VALUE *scratch, LAYER_VALUE *vectors, LAYER_VALUE *contribution) {
    const ptrdiff_t length = p->length, m = p->latent;
    const LAYER_VALUE lam = LAYER_SPLAT(p->lam);
    LAYER_VALUE *beta = scratch, *weight = beta + length, *h = weight + length;
    LAYER_VALUE *t = vectors, *r = t + m, *q = r + m, *y = q + m;
    const ptrdiff_t first = p->keys_include_query ? 0 : 1, keys = length - first;
    // beta_k = <mu, x_k>; alpha = beta_1 (the query is the first token).
    LAYER_COMBINE(x, stride, m, mu, length, beta);
    const LAYER_VALUE alpha = beta[0];
    if (p->softmax) {
        // w_k = exp(lam alpha beta_k - max) / sum, the max subtracted so no exp overflows.
        const LAYER_VALUE scale = lam * alpha;
        LAYER_VALUE low, high;
        LAYER_RANGE(beta + first, keys, &low, &high);
        const LAYER_VALUE largest = LAYER_CHOOSE(scale >= LAYER_SPLAT(0), scale * high, scale * low);
        if (first) weight[0] = LAYER_SPLAT(0);
        for (ptrdiff_t k = first; k < length; k++) weight[k] = scale * beta[k] - largest;
        const LAYER_VALUE inverse = LAYER_SPLAT(1) / LAYER_EXP_SUM(weight + first, keys);
        // T = sum_k w_k x_k, r = x_1 - T.
        for (ptrdiff_t a = 0; a < m; a++) {
            const LAYER_VALUE *column = x + a * stride;
            t[a] = LAYER_DOT(weight, column, length) * inverse;
            r[a] = column[0] - t[a];
        }
        const LAYER_VALUE loss = LAYER_RESIDUAL_FORM(r, q, p->metric, m);
        if (!contribution) return loss;
        LAYER_VALUE qt = LAYER_SPLAT(0);
        for (ptrdiff_t a = 0; a < m; a++) qt += q[a] * t[a];
        // h_k = -2 w_k (<r, x_k> - <r, T>); grad = lam [(sum_k h_k beta_k) x_1 + alpha sum_k h_k x_k].
        LAYER_COMBINE(x, stride, m, q, length, h);
        const LAYER_VALUE factor = LAYER_SPLAT(-2) * inverse;
        for (ptrdiff_t k = 0; k < length; k++) h[k] = factor * weight[k] * (h[k] - qt);
        const LAYER_VALUE hBeta = LAYER_DOT(h, beta, length);
        for (ptrdiff_t a = 0; a < m; a++) {
            const LAYER_VALUE *column = x + a * stride;
            contribution[a] = lam * (hBeta * column[0] + alpha * LAYER_DOT(h, column, length));
        }
        return loss;
    }
    // Linear: y = sum_k beta_k x_k over the keys, T = c alpha y, c = lam or lam / |keys|;
    // grad = -2 c [<r, y> x_1 + alpha sum_k <r, x_k> x_k].
    const double c = p->linear_mean ? p->lam / (double)keys : p->lam;
    if (first) beta[0] = LAYER_SPLAT(0);  // the query is not a key; alpha is kept above
    for (ptrdiff_t a = 0; a < m; a++) {
        const LAYER_VALUE *column = x + a * stride;
        y[a] = LAYER_DOT(beta, column, length);
        t[a] = LAYER_SPLAT(c) * alpha * y[a];
        r[a] = column[0] - t[a];
    }
    const LAYER_VALUE loss = LAYER_RESIDUAL_FORM(r, q, p->metric, m);
    if (!contribution) return loss;
    LAYER_VALUE qy = LAYER_SPLAT(0);
    for (ptrdiff_t a = 0; a < m; a++) qy += q[a] * y[a];
    LAYER_COMBINE(x, stride, m, q, length, h);
    if (first) h[0] = LAYER_SPLAT(0);
    for (ptrdiff_t a = 0; a < m; a++) {
        const LAYER_VALUE *column = x + a * stride;
        contribution[a] = LAYER_SPLAT(-2 * c) * (qy * column[0] + alpha * LAYER_DOT(h, column, length));
    }
    return loss;
}

#undef LAYER_NAME
#undef LAYER_VALUE
#undef LAYER_SPLAT
#undef LAYER_CHOOSE
#undef LAYER_COMBINE
#undef LAYER_RANGE
#undef LAYER_EXP_SUM
#undef LAYER_DOT
#undef LAYER_RESIDUAL_FORM
