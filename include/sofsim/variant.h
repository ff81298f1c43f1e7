/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file variant.h
 * @brief Plain and checked builds of the same emulated-thread code, side by
 * side in one program.
 *
 * Under SOFSIM_PROT_ENFORCE_CHECK every load and store of code on emulated
 * threads must go through the checker, but off and verify should not pay for
 * it. CMake's sofsim_add_variants(<name> SOURCES ...) therefore compiles the
 * sources twice, with `-DSOFSIM_VARIANT=plain` and, instrumented, with
 * `-DSOFSIM_VARIANT=checked`. Each source names what it defines with
 * SOFSIM_VARIANT_NAME(), so the two builds link into one program without
 * clashing, and the caller picks one per context, usually an ops table:
 *
 * @code
 * // gain.c, built by sofsim_add_variants(gain SOURCES gain.c)
 * static void process(int32_t *s, size_t n) { ... }
 * const struct gain_ops SOFSIM_VARIANT_NAME(gain_ops) = { .process = process };
 *
 * // gain.h
 * extern const struct gain_ops gain_ops_plain, gain_ops_checked;
 *
 * // the caller, not built twice
 * const struct gain_ops *ops = SOFSIM_VARIANT_PICK(sim, gain_ops);
 * @endcode
 *
 * `plain` and `checked` must not be defined as macros where
 * SOFSIM_VARIANT_NAME() is used.
 */
#ifndef SOFSIM_VARIANT_H
#define SOFSIM_VARIANT_H

#include "sofsim/check.h"

#define SOFSIM_VARIANT_PASTE_(sym, variant) sym##_##variant
#define SOFSIM_VARIANT_PASTE(sym, variant) SOFSIM_VARIANT_PASTE_(sym, variant)

/** The plain variant's name of @p sym: `sym_plain`. */
#define SOFSIM_VARIANT_PLAIN(sym) sym##_plain
/** The checked variant's name of @p sym: `sym_checked`. */
#define SOFSIM_VARIANT_CHECKED(sym) sym##_checked

#ifdef SOFSIM_VARIANT
/**
 * @brief The name of @p sym in the variant being compiled: `sym_plain` or
 * `sym_checked`. Only defined in sources built by sofsim_add_variants().
 */
#define SOFSIM_VARIANT_NAME(sym) SOFSIM_VARIANT_PASTE(sym, SOFSIM_VARIANT)
#endif

/**
 * @brief The address of the variant of @p sym that context @p sim runs:
 * `&sym_checked` under SOFSIM_PROT_ENFORCE_CHECK (sofsim_checked()), else
 * `&sym_plain`.
 */
#define SOFSIM_VARIANT_PICK(sim, sym) (sofsim_checked(sim) ? &SOFSIM_VARIANT_CHECKED(sym) : &SOFSIM_VARIANT_PLAIN(sym))

#endif /* SOFSIM_VARIANT_H */
