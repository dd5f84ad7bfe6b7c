package io.janus.aggregator.api;

/**
 * A request the admin API refuses, or a resource it does not have: the HTTP status and a reason written for the
 * operator's tooling. Answered as a problem document; never carries secrets.
 */
final class ApiException extends RuntimeException {
  private final int status;

  private ApiException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  /** 400: the request is malformed or names something invalid. */
  static ApiException badRequest(String detail) {
    return new ApiException(400, detail);
  }

  /** 404: the resource does not exist. */
  static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }

  /** 409: the request conflicts with what is stored. */
  static ApiException conflict(String detail) {
    return new ApiException(409, detail);
  }

  /** 413: the body is longer than the admin API reads. */
  static ApiException tooLarge(long limit) {
    return new ApiException(413, "The request body is longer than " + limit + " bytes.");
  }

  int status() {
    return status;
  }
}
