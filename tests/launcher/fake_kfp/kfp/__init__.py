# SPDX-License-Identifier: Apache-2.0
"""A stand-in for the KFP runtime with just the executor contract the launcher relies on."""
