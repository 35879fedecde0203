# A small Terraform project written the usual way, with nothing Rebound-specific in it: an SQS
# queue with a dead-letter queue and a Node.js worker behind it (CommonJS, with a layer), and an
# asynchronously invoked notifier (an ES module) with an on-failure destination. `node build.mjs`
# writes the three zips this file names.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "prefix" {
  type    = string
  default = "demo"
}

locals {
  # A job is tried this many times before SQS moves it to the dead-letter queue.
  max_receives = 3
}

resource "aws_sqs_queue" "jobs_dlq" {
  name                      = "${var.prefix}-jobs-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "jobs" {
  name                       = "${var.prefix}-jobs"
  visibility_timeout_seconds = 30
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.jobs_dlq.arn
    maxReceiveCount     = local.max_receives
  })
}

resource "aws_sqs_queue" "notify_failures" {
  name = "${var.prefix}-notify-failures"
}

resource "aws_iam_role" "lambda" {
  name = "${var.prefix}-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "sqs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
}

resource "aws_lambda_layer_version" "job_rules" {
  layer_name          = "${var.prefix}-job-rules"
  filename            = "build/job-rules-layer.zip"
  source_code_hash    = filebase64sha256("build/job-rules-layer.zip")
  compatible_runtimes = ["nodejs20.x"]
}

resource "aws_lambda_function" "worker" {
  function_name    = "${var.prefix}-worker"
  role             = aws_iam_role.lambda.arn
  runtime          = "nodejs20.x"
  handler          = "handlers/worker.handler"
  filename         = "build/worker.zip"
  source_code_hash = filebase64sha256("build/worker.zip")
  timeout          = 10
  layers           = [aws_lambda_layer_version.job_rules.arn]

  environment {
    variables = {
      DEAD_LETTER_QUEUE_URL = aws_sqs_queue.jobs_dlq.url
      FLAKY_SUCCEEDS_ON     = "2"
    }
  }
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn        = aws_sqs_queue.jobs.arn
  function_name           = aws_lambda_function.worker.arn
  batch_size              = 5
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_lambda_function" "notifier" {
  function_name    = "${var.prefix}-notifier"
  role             = aws_iam_role.lambda.arn
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  filename         = "build/notifier.zip"
  source_code_hash = filebase64sha256("build/notifier.zip")
  timeout          = 5
}

resource "aws_lambda_function_event_invoke_config" "notifier" {
  function_name          = aws_lambda_function.notifier.function_name
  maximum_retry_attempts = 1

  destination_config {
    on_failure {
      destination = aws_sqs_queue.notify_failures.arn
    }
  }
}
