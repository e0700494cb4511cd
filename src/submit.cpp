// SPDX-License-Identifier: Apache-2.0
// Glue between the DSL and the client: a `Pipeline` compiled and sent to a KFP backend.
#include <string>

#include "kfpp/client/client.hpp"
#include "kfpp/compile.hpp"

namespace kfpp {

PipelineInfo upload_pipeline(Client& client, const Pipeline& pipeline,
                             const UploadOptions& options) {
  return client.upload_pipeline(compile(pipeline), options);
}

PipelineVersion upload_pipeline_version(Client& client, const Pipeline& pipeline,
                                        const std::string& pipeline_id,
                                        const VersionOptions& options) {
  return client.upload_pipeline_version(compile(pipeline), pipeline_id, options);
}

Run create_run(Client& client, const Pipeline& pipeline, const RunRequest& request) {
  RunRequest r = request;
  r.pipeline = PipelineSource{.yaml = compile(pipeline)};
  return client.create_run(r);
}

}  // namespace kfpp
