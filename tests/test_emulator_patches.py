"""The local-harness patches of moto, exercised through the project's own emulator process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError

from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY

ROLE_ARN = "arn:aws:iam::123456789012:role/example-execution"
IMAGE = "registry.example.com/ml/example@sha256:" + "0" * 64
BLUE_GREEN = {
    "BlueGreenUpdatePolicy": {
        "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0},
        "TerminationWaitInSeconds": 0,
    }
}


@pytest.fixture
def sagemaker(moto_server: str) -> Iterator[object]:
    yield boto3.client(
        "sagemaker",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _model_and_config(sagemaker, **config: object) -> tuple[str, str]:
    model = _name("model")
    sagemaker.create_model(ModelName=model, ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE})
    variants = [{"VariantName": "primary", "ModelName": model, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]
    name = _name("config")
    sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=variants, **config)
    return model, name


def test_describe_endpoint_config_without_data_capture_omits_it(sagemaker) -> None:
    _, config = _model_and_config(sagemaker)

    assert "DataCaptureConfig" not in sagemaker.describe_endpoint_config(EndpointConfigName=config)


def test_describe_endpoint_config_with_data_capture_echoes_it(sagemaker) -> None:
    capture = {"InitialSamplingPercentage": 20, "DestinationS3Uri": "s3://example-capture/x", "CaptureOptions": [{"CaptureMode": "Input"}]}
    _, config = _model_and_config(sagemaker, DataCaptureConfig=capture)

    assert sagemaker.describe_endpoint_config(EndpointConfigName=config)["DataCaptureConfig"] == capture


@pytest.mark.parametrize("isolated", [True, False])
def test_describe_model_reports_network_isolation_as_created(sagemaker, isolated: bool) -> None:
    model = _name("model")
    sagemaker.create_model(ModelName=model, ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE}, EnableNetworkIsolation=isolated)

    assert sagemaker.describe_model(ModelName=model)["EnableNetworkIsolation"] is isolated


def test_describe_endpoint_reports_deployment_config_as_created(sagemaker) -> None:
    _, config = _model_and_config(sagemaker)
    endpoint = _name("endpoint")
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config, DeploymentConfig=BLUE_GREEN)

    assert sagemaker.describe_endpoint(EndpointName=endpoint)["LastDeploymentConfig"] == BLUE_GREEN


def test_update_endpoint_switches_to_the_new_configuration(sagemaker) -> None:
    _, old = _model_and_config(sagemaker)
    _, new = _model_and_config(sagemaker)
    endpoint = _name("endpoint")
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=old)

    sagemaker.update_endpoint(EndpointName=endpoint, EndpointConfigName=new, DeploymentConfig=BLUE_GREEN)

    described = sagemaker.describe_endpoint(EndpointName=endpoint)
    assert (described["EndpointConfigName"], described["EndpointStatus"]) == (new, "InService")
    assert described["LastDeploymentConfig"] == BLUE_GREEN


def test_update_endpoint_to_missing_configuration_is_refused(sagemaker) -> None:
    _, config = _model_and_config(sagemaker)
    endpoint = _name("endpoint")
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)

    with pytest.raises(ClientError) as raised:
        sagemaker.update_endpoint(EndpointName=endpoint, EndpointConfigName="missing")

    assert raised.value.response["Error"]["Message"] == (
        "Could not find endpoint configuration 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/missing'."
    )
    assert sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"] == config


def test_update_endpoint_of_missing_endpoint_is_refused(sagemaker) -> None:
    _, config = _model_and_config(sagemaker)

    with pytest.raises(ClientError) as raised:
        sagemaker.update_endpoint(EndpointName="missing", EndpointConfigName=config)

    assert raised.value.response["Error"]["Message"] == (
        "Could not find endpoint 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/missing'."
    )


def _client(service: str, url: str):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def test_scalable_target_tags_are_kept_and_listed(moto_server: str) -> None:
    autoscaling = _client("application-autoscaling", moto_server)
    arn = autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=f"endpoint/{_name('endpoint')}/variant/primary",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=2,
        Tags={"team": "ml"},
    )["ScalableTargetARN"]

    autoscaling.tag_resource(ResourceARN=arn, Tags={"env": "local"})
    autoscaling.untag_resource(ResourceARN=arn, TagKeys=["team"])

    assert autoscaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "local"}


def test_security_group_rule_referencing_a_group_keeps_its_description(moto_server: str) -> None:
    ec2 = _client("ec2", moto_server)
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    model = ec2.create_security_group(GroupName=_name("model"), Description="model", VpcId=vpc)["GroupId"]
    registry = ec2.create_security_group(GroupName=_name("registry"), Description="registry", VpcId=vpc)["GroupId"]
    pair = {"GroupId": model, "Description": "Image pull by the model"}
    rule = ec2.authorize_security_group_ingress(
        GroupId=registry, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [pair]}]
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]

    described = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule])["SecurityGroupRules"][0]

    assert described["Description"] == "Image pull by the model"


def test_security_group_rule_to_a_prefix_list_keeps_its_description(moto_server: str) -> None:
    ec2 = _client("ec2", moto_server)
    vpc = ec2.create_vpc(CidrBlock="10.98.0.0/16")["Vpc"]["VpcId"]
    model = ec2.create_security_group(GroupName=_name("model"), Description="model", VpcId=vpc)["GroupId"]
    prefix_list = {"PrefixListId": "pl-6da54004", "Description": "Model artifacts from S3"}
    rule = ec2.authorize_security_group_egress(
        GroupId=model, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [prefix_list]}]
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]

    described = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule])["SecurityGroupRules"][0]

    assert (described["PrefixListId"], described["Description"]) == ("pl-6da54004", "Model artifacts from S3")
