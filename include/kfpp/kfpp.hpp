// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The one include a kfpp user needs: the typed DSL, the IR, validation and the compilers.
/// Example: `#include <kfpp/kfpp.hpp>`
#include "kfpp/compile.hpp"
#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/graph.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/component.hpp"
#include "kfpp/dsl/condition.hpp"
#include "kfpp/dsl/control.hpp"
#include "kfpp/dsl/format.hpp"
#include "kfpp/dsl/loaded.hpp"
#include "kfpp/dsl/pipeline.hpp"
#include "kfpp/dsl/ports.hpp"
#include "kfpp/dsl/types.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/task_inputs.hpp"
#include "kfpp/ir/validate.hpp"
#include "kfpp/ir/value.hpp"
#include "kfpp/runner/run.hpp"
#include "kfpp/version.hpp"
